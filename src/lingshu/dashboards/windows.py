"""Relative time windows (近3年, 本月 ...), evaluated afresh at every request.

A big screen left on for a week must still show "the last 7 days", so a window is stored as its
name and turned into dates only when a chart is drawn. Accepted forms:

- ``all`` (全部): no time condition;
- ``last_N_days|weeks|months|years`` (近N天/周/个月/年): from N units before today to the end of today;
- ``this_month``, ``this_quarter``, ``this_year`` (本月/本季度/今年): from the start of the period;
- ``YYYY-MM-DD..YYYY-MM-DD``: a fixed range, end exclusive (either side may be empty).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from lingshu.core.registry import Registry

Range = tuple[dt.date | None, dt.date | None]  # start inclusive, end exclusive


@dataclass(frozen=True)
class Window:
    name: str
    label: str
    resolve: Callable[[dt.date], Range]


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    # The 31st of a month without one falls back to the month's last day.
    last = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]
    return dt.date(year, month + 1, min(day.day, last))


UNITS: dict[str, tuple[str, Callable[[dt.date, int], dt.date]]] = {
    "days": ("天", lambda d, n: d - dt.timedelta(days=n)),
    "weeks": ("周", lambda d, n: d - dt.timedelta(weeks=n)),
    "months": ("个月", lambda d, n: _shift_months(d, n)),
    "years": ("年", lambda d, n: _shift_months(d, 12 * n)),
}

FIXED: Registry[Window] = Registry("time window")
FIXED.add("all", Window("all", "全部", lambda today: (None, None)))
FIXED.add("this_month", Window("this_month", "本月",
                               lambda t: (t.replace(day=1), t + dt.timedelta(days=1))))
FIXED.add("this_quarter", Window("this_quarter", "本季度",
                                 lambda t: (dt.date(t.year, 3 * ((t.month - 1) // 3) + 1, 1), t + dt.timedelta(days=1))))
FIXED.add("this_year", Window("this_year", "今年", lambda t: (dt.date(t.year, 1, 1), t + dt.timedelta(days=1))))

_LAST = re.compile(r"^last_(\d{1,4})_(days|weeks|months|years)$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$")
FORMS = "all, last_N_days|weeks|months|years, this_month, this_quarter, this_year, or YYYY-MM-DD..YYYY-MM-DD"


def parse_window(text: str) -> Window:
    """The window named by ``text``; ValueError (with the accepted forms) if it names none."""
    if text in FIXED:
        return FIXED.get(text)
    m = _LAST.match(text)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        word, back = UNITS[unit]
        # "The last N days" ends with today, so the end bound is tomorrow (exclusive).
        return Window(text, f"近{n}{word}", lambda t: (back(t, n), t + dt.timedelta(days=1)))
    m = _RANGE.match(text)
    if m and (m.group(1) or m.group(2)):
        try:
            start = dt.date.fromisoformat(m.group(1)) if m.group(1) else None
            end = dt.date.fromisoformat(m.group(2)) if m.group(2) else None
        except ValueError:
            raise ValueError(f"bad date in time window {text!r}") from None
        label = f"{start or '…'} 至 {end or '…'}"
        return Window(text, label, lambda t: (start, end))
    raise ValueError(f"unknown time window {text!r}; use {FORMS}")


def resolve(text: str | None, today: dt.date | None = None) -> Range:
    if not text:
        return (None, None)
    return parse_window(text).resolve(today or dt.date.today())
