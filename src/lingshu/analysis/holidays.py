"""Official rest days (国务院办公厅关于部分节假日安排的通知), 2023-2026, as a day-type calendar.

Day types: 节假日 (an official rest day of a holiday), 周末, 工作日. Make-up workdays (调休上班的
周末) are not listed yet and count as 周末: passenger and traffic comparisons treat them as rest
days. Extend ``HOLIDAYS`` each December when the next year's notice is published.
"""

from __future__ import annotations

import datetime as dt

from lingshu.govern.sqldefs import SqlMacro, sql_str

# holiday -> [(first rest day, number of rest days)]
HOLIDAYS: dict[str, list[tuple[str, int]]] = {
    "元旦": [("2023-01-01", 2), ("2024-01-01", 1), ("2025-01-01", 1), ("2026-01-01", 3)],
    "春节": [("2023-01-21", 7), ("2024-02-10", 8), ("2025-01-28", 8), ("2026-02-15", 9)],
    "清明节": [("2023-04-05", 1), ("2024-04-04", 3), ("2025-04-04", 3)],
    "劳动节": [("2023-04-29", 5), ("2024-05-01", 5), ("2025-05-01", 5)],
    "端午节": [("2023-06-22", 3), ("2024-06-10", 1), ("2025-05-31", 3)],
    "中秋节": [("2024-09-15", 3)],
    "国庆节": [("2023-09-29", 8), ("2024-10-01", 7), ("2025-10-01", 8)],
}


def rest_days() -> dict[dt.date, str]:
    out: dict[dt.date, str] = {}
    for name, spans in HOLIDAYS.items():
        for first, days in spans:
            d0 = dt.date.fromisoformat(first)
            for k in range(days):
                out[d0 + dt.timedelta(days=k)] = name
    return out


def day_type(day: dt.date) -> str:
    if day in rest_days():
        return "节假日"
    return "周末" if day.weekday() >= 5 else "工作日"


def _holiday_map() -> str:
    return "MAP {" + ", ".join(f"DATE '{d.isoformat()}': {sql_str(n)}" for d, n in sorted(rest_days().items())) + "}"


MACROS = [
    SqlMacro("cn_holiday", ("d",), f"{_holiday_map()}[CAST(d AS DATE)]",
             "name of the official holiday a date is a rest day of, else NULL"),
    SqlMacro("cn_day_type", ("d",),
             "CASE WHEN cn_holiday(d) IS NOT NULL THEN '节假日' WHEN isodow(CAST(d AS DATE)) >= 6 THEN '周末' "
             "ELSE '工作日' END", "节假日/周末/工作日"),
]
