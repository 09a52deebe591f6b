"""Chinese date spellings -> DATE: 2023年5月1日, 2023.5.1, 2023/5/1, 2023-05-01, 20230501, Excel serials.

A trailing time (``2023-05-01 08:30:00``) is allowed and dropped. Excel serials are accepted
only with exactly 5 integer digits (10000..99999 = 1927-05-18..2173-10-14), optionally with a
fraction of a day: a shorter number is more often a year or a count than a date, and guessing
would turn ``2023`` into 1905-07-15. Excel's fictitious 1900-02-29 (serial 60) is below that range.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from lingshu.govern.sqldefs import macro
from lingshu.govern.text import fullwidth_to_halfwidth
from lingshu.govern.verdict import Verdict

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
YMD = r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?" + _TIME
COMPACT = r"(\d{4})(\d{2})(\d{2})"
SERIAL = r"(\d{5})(?:\.\d+)?"
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's leap-year bug


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_cn_date(raw: str | None) -> date | None:
    if raw is None:
        return None
    s = (fullwidth_to_halfwidth(raw) or "").strip()
    if m := re.fullmatch(YMD, s):
        return _date(*m.groups())
    if m := re.fullmatch(COMPACT, s):
        return _date(*m.groups())
    if m := re.fullmatch(SERIAL, s):
        return EXCEL_EPOCH + timedelta(days=int(m.group(1)))
    return None


def check_date(raw: str | None) -> Verdict:
    v = Verdict("date", raw, valid=True)
    d = parse_cn_date(raw)
    if d is None:
        return v.fail("not a date: expected 2023年5月1日, 2023.5.1, 2023/5/1, 2023-05-01, 20230501 or a "
                      "5-digit Excel serial, with a real month and day")
    s = (fullwidth_to_halfwidth(raw) or "").strip() if raw else ""
    v.rules.append("excel_serial" if re.fullmatch(SERIAL, s) else
                   "compact_yyyymmdd" if re.fullmatch(COMPACT, s) else "year_month_day")
    v.normalized = d.isoformat()
    v.parts["date"] = d
    return v


# -- SQL ------------------------------------------------------------------------------------------
_S = "trim(fullwidth_to_halfwidth(x))"
macro("excel_serial_to_date", "n", "DATE '1899-12-30' + CAST(floor(n) AS INTEGER)",
      "Excel (1900 system) serial day number -> DATE.")
macro("parse_cn_date", "x",
      f"CASE WHEN regexp_full_match({_S}, '{YMD}') THEN try_strptime("
      f"regexp_extract({_S}, '^{YMD}$', 1) || '-' || regexp_extract({_S}, '^{YMD}$', 2) || '-'"
      f" || regexp_extract({_S}, '^{YMD}$', 3), '%Y-%m-%d')::DATE"
      f" WHEN regexp_full_match({_S}, '{COMPACT}') THEN try_strptime({_S}, '%Y%m%d')::DATE"
      f" WHEN regexp_full_match({_S}, '{SERIAL}') THEN excel_serial_to_date(CAST({_S} AS DOUBLE)) END",
      "Chinese date spellings and 5-digit Excel serials -> DATE; NULL when not a real date.")
