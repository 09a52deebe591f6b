"""Cron parsing and fire times in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lingshu.ops.cron import Cron
from lingshu.ops.errors import OpsError

SH = ZoneInfo("Asia/Shanghai")


def test_daily_at_two_is_beijing_time() -> None:
    cron = Cron.parse("0 2 * * *")
    after = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
    fire = cron.next_after(after)
    assert fire == datetime(2026, 3, 2, 2, 0, tzinfo=SH)
    assert fire.astimezone(UTC) == datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


def test_fields_lists_ranges_steps_and_names() -> None:
    cron = Cron.parse("*/15 8-18/2 * JAN-MAR mon-fri")
    assert cron.minutes == {0, 15, 30, 45} and cron.hours == {8, 10, 12, 14, 16, 18}
    assert cron.months == {1, 2, 3} and cron.weekdays == {1, 2, 3, 4, 5}
    assert Cron.parse("0 0 * * 7").weekdays == {0}
    assert Cron.parse("5/20 * * * *").minutes == {5, 25, 45}
    assert Cron.parse("@daily").hours == {0}


def test_day_of_month_or_day_of_week_when_both_given() -> None:
    cron = Cron.parse("0 9 1 * MON")  # the 1st of the month, and every Monday
    fires = cron.between(datetime(2026, 6, 1, tzinfo=SH), datetime(2026, 6, 30, 23, 59, tzinfo=SH))
    assert [f.day for f in fires] == [1, 8, 15, 22, 29]  # 2026-06-01 is a Monday


def test_between_is_inclusive_and_latest_respects_window() -> None:
    cron = Cron.parse("0 2 * * *")
    fires = cron.between(datetime(2026, 3, 1, 2, 0, tzinfo=SH), datetime(2026, 3, 3, 2, 0, tzinfo=SH))
    assert [f.date() for f in fires] == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    at = datetime(2026, 3, 2, 2, 30, tzinfo=SH)
    assert cron.latest_at_or_before(at, timedelta(hours=1)) == datetime(2026, 3, 2, 2, 0, tzinfo=SH)
    assert cron.latest_at_or_before(at, timedelta(minutes=10)) is None


def test_leap_day_and_impossible_dates() -> None:
    assert Cron.parse("0 0 29 2 *").next_after(datetime(2026, 1, 1, tzinfo=UTC)).year == 2028
    with pytest.raises(OpsError, match="never fires"):
        Cron.parse("0 0 31 2 *").next_after(datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("expr, message", [
    ("0 2 * *", "4 fields"), ("60 * * * *", "outside 0-59"), ("0 5-1 * * *", "backwards"),
    ("*/0 * * * *", "bad step"), ("0 0 * FOO *", "not a valid month"),
])
def test_bad_expressions_say_what_and_how(expr: str, message: str) -> None:
    with pytest.raises(OpsError, match=message) as info:
        Cron.parse(expr)
    assert info.value.hint


def test_naive_time_is_refused() -> None:
    with pytest.raises(OpsError, match="aware"):
        Cron.parse("0 2 * * *").next_after(datetime(2026, 1, 1))
