"""Industry codes, GB/T 4754-2017: 门类 letter + 大类/中类/小类 digits, codes nest by prefix.

The letter and the numeric code are stored separately (C3973 -> section C, code 3973); a 大类
decides its 门类, so a letter that disagrees is an error. The table's coverage is stated in its
header (data/industry_gbt4754_2017.csv): a deeper code whose 大类 exists but which the table
does not list gives "unknown" (None / SQL NULL), never "invalid".
"""

from __future__ import annotations

import functools
import re

from lingshu.govern.refdata import read_csv
from lingshu.govern.sqldefs import macro, sql_list, sql_map
from lingshu.govern.verdict import Verdict

LEVELS = {1: "门类", 2: "大类", 3: "中类", 4: "小类"}


@functools.cache
def table() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in read_csv("industry_gbt4754_2017.csv")}


def split_code(raw: str) -> tuple[str | None, str]:
    m = re.fullmatch(r"\s*([A-Ta-t])?\s*(\d{2,4})?\s*", raw)
    if not m or not (m.group(1) or m.group(2)):
        return None, ""
    return (m.group(1) or "").upper() or None, m.group(2) or ""


def check_industry(raw: str | None) -> Verdict:
    v = Verdict("industry", raw, valid=True)
    letter, digits = split_code(raw or "")
    if letter is None and not digits:
        return v.fail("not an industry code: expected a letter A-T and/or 2-4 digits (C3973, 3973, I65)")
    t = table()
    section = t[digits[:2]]["section"] if digits[:2] in t else None
    if digits and section is None:
        return v.fail(f"大类 {digits[:2]} does not exist in GB/T 4754-2017")
    if letter and section and letter != section:
        return v.fail(f"大类 {digits[:2]} belongs to 门类 {section}, not {letter}")
    section = section or letter
    code = digits or section or ""
    v.normalized = f"{section}{digits}"
    row = t.get(code)
    v.parts.update(section=section, section_name=t[section]["name"] if section else None, code=digits,
                   level=LEVELS[len(digits)] if digits else "门类", name=row["name"] if row else None,
                   in_table=row is not None,
                   hierarchy=[p for p in dict.fromkeys((section, digits[:2], digits[:3], digits[:4])) if p and p in t])
    if row is None:
        v.parts["note"] = f"{code} is not in the bundled table (see its coverage note); its 大类 is valid"
    return v


# -- SQL ------------------------------------------------------------------------------------------
_t = table()
_sections = {c: r["section"] for c, r in _t.items() if r["level"] == "大类"}
_names = {c: r["name"] for c, r in _t.items()}
_D = "regexp_extract(upper(trim(code)), '^[A-T]?(\\d{2,4})$', 1)"
macro("industry_section", "code",
      f"coalesce({sql_map(_sections)}[substr({_D}, 1, 2)],"
      f" CASE WHEN regexp_full_match(upper(trim(code)), '[A-T]') THEN upper(trim(code)) END)",
      "门类 letter of a code given with or without its letter (3973 -> C).")
macro("industry_name", "code",
      f"{sql_map(_names)}[CASE WHEN {_D} = '' THEN upper(trim(code)) ELSE {_D} END]",
      "Name of a code in the bundled table (see its coverage), else NULL.")
macro("is_valid_industry", "code",
      f"CASE WHEN code IS NULL THEN NULL"
      f" WHEN NOT regexp_full_match(upper(trim(code)), '[A-T]?(\\d{{2,4}})?') OR trim(code) = '' THEN false"
      f" WHEN {_D} = '' THEN true"
      f" WHEN NOT list_contains({sql_list(list(_sections))}, substr({_D}, 1, 2)) THEN false"
      f" WHEN regexp_matches(upper(trim(code)), '^[A-T]')"
      f" AND substr(upper(trim(code)), 1, 1) <> industry_section(code) THEN false"
      f" WHEN list_contains({sql_list(list(_t))}, {_D}) THEN true END",
      "true / false, or NULL (unknown) for a deeper code outside the bundled table's coverage.")
