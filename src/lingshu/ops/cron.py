"""Five-field cron expressions and their fire times in a named time zone (Asia/Shanghai).

Written here rather than pulled in as a dependency: the grammar is small and the bureau's mirror
pins every package. Supported: ``*``, numbers, ranges ``a-b``, steps ``*/n`` and ``a-b/n``, lists
``a,b``, month and weekday names (``JAN``, ``MON``), weekday 7 = Sunday, and the aliases
``@hourly @daily @midnight @weekly @monthly @yearly @annually``. As in Vixie cron, when both
day-of-month and day-of-week are restricted a day matches if either does.

Fire times are computed on the local wall clock and then given the zone. Asia/Shanghai has had no
daylight saving since 1991; in zones that do, a wall time skipped by the clock change fires at
the same wall time after the jump (zoneinfo's fold=0 rule) and a repeated hour fires once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lingshu.ops.errors import OpsError

SHANGHAI = "Asia/Shanghai"

ALIASES = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
WEEKDAYS = {d: i for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}

# (field name, low, high, names)
FIELDS = (("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
          ("month", 1, 12, MONTHS), ("day of week", 0, 7, WEEKDAYS))

# A valid expression fires at least once in any 8 years (Feb 29 on a given weekday included):
# searching further means the expression can never fire (e.g. 31 February).
_SEARCH_DAYS = 366 * 8 + 2


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise OpsError(f"unknown time zone {name!r}", hint="use an IANA name such as Asia/Shanghai") from None


def _parse_field(text: str, index: int, expr: str) -> frozenset[int]:
    name, low, high, names = FIELDS[index]

    def number(token: str) -> int:
        value = names.get(token.upper()) if names else None
        if value is None:
            if not token.isdigit():
                raise OpsError(f"cron {expr!r}: {token!r} is not a valid {name}",
                               hint=f"use numbers {low}-{high}" + (f" or names like {next(iter(names))}" if names else ""))
            value = int(token)
        if not low <= value <= high:
            raise OpsError(f"cron {expr!r}: {name} {value} is outside {low}-{high}", hint="fix that field")
        return value

    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise OpsError(f"cron {expr!r}: bad step {step_text!r} in the {name} field", hint="steps are whole numbers > 0")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            a, b = base.split("-", 1)
            start, end = number(a), number(b)
            if start > end:
                raise OpsError(f"cron {expr!r}: range {base} runs backwards", hint=f"write it as low-high in {name}")
        else:
            start = number(base)
            end = high if step_text else start  # "5/15" means 5, 20, 35, 50
        values.update(range(start, end + 1, step))
    if index == 4 and 7 in values:  # 7 is another name for Sunday
        values = (values - {7}) | {0}
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    expr: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    day_restricted: bool
    weekday_restricted: bool
    tz: ZoneInfo

    @classmethod
    def parse(cls, expr: str, timezone: str = SHANGHAI) -> Cron:
        text = ALIASES.get(expr.strip().lower(), expr.strip())
        fields = text.split()
        if len(fields) != 5:
            raise OpsError(f"cron {expr!r} has {len(fields)} fields, not 5",
                           hint="write 'minute hour day-of-month month day-of-week', e.g. '0 2 * * *' for 02:00 daily")
        parsed = [_parse_field(f, i, expr) for i, f in enumerate(fields)]
        return cls(expr, *parsed, day_restricted=fields[2] != "*", weekday_restricted=fields[4] != "*",
                   tz=zone(timezone))

    def _day_matches(self, d: date) -> bool:
        if d.month not in self.months:
            return False
        dom = d.day in self.days
        dow = (d.isoweekday() % 7) in self.weekdays
        if self.day_restricted and self.weekday_restricted:
            return dom or dow
        return dom and dow

    def _times(self) -> list[time]:
        return [time(h, m) for h in sorted(self.hours) for m in sorted(self.minutes)]

    def fires(self, after: datetime) -> Iterator[datetime]:
        """Fire times strictly after ``after`` (an aware datetime), in this zone, ascending."""
        if after.tzinfo is None:
            raise OpsError("cron times need an aware datetime", hint="pass datetime.now(timezone) or attach tzinfo")
        local = after.astimezone(self.tz)
        times = self._times()
        day, empty = local.date(), 0
        while empty < _SEARCH_DAYS:
            if self._day_matches(day):
                empty = 0
                for t in times:
                    fire = datetime.combine(day, t, tzinfo=self.tz)
                    if fire > after:
                        yield fire
            else:
                empty += 1
            day += timedelta(days=1)
        # Only reached when no day matches for eight years: the expression is impossible.

    def next_after(self, after: datetime) -> datetime:
        for fire in self.fires(after):
            return fire
        raise OpsError(f"cron {self.expr!r} never fires", hint="check the day-of-month and month fields (e.g. 31 Feb)")

    def latest_at_or_before(self, at: datetime, window: timedelta) -> datetime | None:
        """The last fire time in ``(at - window, at]``, or None."""
        last = None
        for fire in self.fires(at - window):
            if fire > at:
                break
            last = fire
        return last

    def between(self, start: datetime, end: datetime) -> list[datetime]:
        """Fire times in ``[start, end]`` (inclusive both ends), for backfills."""
        out = []
        for fire in self.fires(start - timedelta(microseconds=1)):
            if fire > end:
                break
            out.append(fire)
        return out
