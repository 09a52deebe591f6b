"""Investment project codes (投资项目统一代码), ``YYYY-RRRRRR-DD-TT-NNNNNC``.

UNSETTLED: the check-character algorithm of GB/T 40058-2021 and its department/type tables were
not available. So this validator checks only the shape, the year and the region code, and says
in every verdict that the check character was NOT verified (``check_verified: False``). It also
stores ``code_format_version`` (GB/T 40058-2021 or pre-2020: same shape, different meanings), read
from the year with an assumed cutover kept in data/project_code.yaml, never hard-coded here.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from lingshu.govern.refdata import read_yaml
from lingshu.govern.regions import region_check
from lingshu.govern.sqldefs import macro, sql_str
from lingshu.govern.text import fullwidth_to_halfwidth
from lingshu.govern.verdict import Verdict


class ProjectCodeConfig(BaseModel):
    shape: str
    cutover_year: int
    versions: dict[str, str]
    min_year: int
    check_algorithm: str


CONFIG = ProjectCodeConfig(**read_yaml("project_code.yaml"))
_SHAPE = re.compile(CONFIG.shape)
_COMPACT = re.compile(r"(\d{4})(\d{6})([0-9A-Z]{2})([0-9A-Z]{2})([0-9A-Z]{6})")
_DASHES = "－–—―‐"  # dash look-alikes people paste from documents


def normalize_project_code(raw: str | None) -> str | None:
    if raw is None:
        return None
    s = re.sub(f"[{_DASHES}]", "-", fullwidth_to_halfwidth(raw) or "")
    s = re.sub(r"\s+", "", s).upper()
    m = _COMPACT.fullmatch(s)
    return "-".join(m.groups()) if m else s


def format_version(n: str) -> str:
    serial = n[-6:]
    if re.search("[A-Z]", serial) or int(n[:4]) >= CONFIG.cutover_year:
        return CONFIG.versions["current"]
    return CONFIG.versions["legacy"]


def check_project_code(raw: str | None, today: date | None = None) -> Verdict:
    v = Verdict("project-code", raw, valid=True)
    n = normalize_project_code(raw)
    if not n or not _SHAPE.match(n):
        return v.fail("not a project code: expected YYYY-RRRRRR-XX-XX-XXXXXX (digits and A-Z)")
    v.normalized = n
    if raw != n:
        v.rules.append("fold_width_dashes_case")
    year = int(n[:4])
    ok, name, note = region_check(n[5:11])
    v.parts.update(year=year, region_code=n[5:11], region_name=name, field3=n[12:14], field4=n[15:17],
                   serial=n[18:], code_format_version=format_version(n), check_verified=False,
                   check_note="check algorithm UNSETTLED: not verified")
    if not ok:
        v.fail(f"region code: {note}")
    if not CONFIG.min_year <= year <= (today or date.today()).year:
        v.fail(f"year {year} is outside {CONFIG.min_year}..this year")
    return v


def is_valid_project_code(raw: str | None) -> bool:
    return check_project_code(raw).valid


# -- SQL ------------------------------------------------------------------------------------------
_N = "project_code_normalize(x)"
macro("project_code_normalize", "x",
      "regexp_replace(upper(regexp_replace(regexp_replace(fullwidth_to_halfwidth(x),"
      f" '[{_DASHES}]', '-', 'g'), '\\s+', '', 'g')),"
      " '^(\\d{4})(\\d{6})([0-9A-Z]{2})([0-9A-Z]{2})([0-9A-Z]{6})$', '\\1-\\2-\\3-\\4-\\5')",
      "Half-width, upper case, hyphens restored in the 20-character compact form.")
macro("is_valid_project_code", "x",
      f"CASE WHEN x IS NULL THEN NULL ELSE regexp_matches({_N}, {sql_str(CONFIG.shape)})"
      f" AND region_code_plausible(substr({_N}, 6, 6))"
      f" AND TRY_CAST(substr({_N}, 1, 4) AS INTEGER) BETWEEN {CONFIG.min_year} AND year(current_date) END",
      "Shape, year and region code only: the check algorithm is UNSETTLED and not verified.")
macro("project_code_format_version", "x",
      f"CASE WHEN is_valid_project_code(x) THEN CASE WHEN regexp_matches(substr({_N}, 19, 6), '[A-Z]')"
      f" OR CAST(substr({_N}, 1, 4) AS INTEGER) >= {CONFIG.cutover_year}"
      f" THEN {sql_str(CONFIG.versions['current'])} ELSE {sql_str(CONFIG.versions['legacy'])} END END",
      "code_format_version of a valid code (cutover year is an UNSETTLED assumption).")
