"""The three transport packs on their schedules: once approved, the scheduler runs them from the raw
synthetic sources (road archive daily at 01:30, passenger flow and congestion every 15 minutes,
Beijing time), the congestion pack after the road archive it reads, and each again only when its
own schedule comes round; what the runs build is what the dashboards draw."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lingshu.dashboards.service import DashboardService
from lingshu.ops import Ops
from ops_support import FakeClock, approve
from packs.transport_support import render_all_dashboards, transport_context

PACKS = ("road_archive", "passenger_flow", "congestion_index")


@pytest.fixture
def ctx(tmp_path: Path, synth_world: Path) -> Iterator:
    yield from transport_context(tmp_path / "ws", synth_world, [])


def test_transport_packs_run_on_their_schedules(ctx) -> None:
    scheduled = {p: ctx.catalog.get(p).spec.schedule.cron for p in PACKS}
    assert scheduled == {"road_archive": "30 1 * * *", "passenger_flow": "*/15 * * * *",
                         "congestion_index": "*/15 * * * *"}
    # 2026-03-02 01:15:20 Beijing time: the two 15-minute packs are due (the archive's last 01:30
    # is a day old, past the misfire grace). Not reviewed yet, they do not go live, and each skip
    # says how to get the review.
    clock = FakeClock(datetime(2026, 3, 1, 17, 15, 20, tzinfo=UTC))
    ops = Ops(ctx, clock=clock, sleep=lambda seconds: None)
    first = ops.scheduler(with_system_jobs=False).tick()
    assert {o.job: o.status for o in first} == {"passenger_flow": "skipped", "congestion_index": "skipped"}
    assert all("lingshu approve request" in o.detail for o in first)
    assert ctx.state.list_runs() == []

    # Approved; at 01:30 all three are due, and the congestion pack runs after the archive it reads.
    approve(ctx, *PACKS)
    clock.advance(minutes=15)
    outcomes = ops.scheduler(with_system_jobs=False).tick()
    order = [o.job for o in outcomes]
    assert order.index("road_archive") < order.index("congestion_index")
    assert {o.job: (o.status, o.slot[11:16]) for o in outcomes} == dict.fromkeys(PACKS, ("success", "01:30")), \
        [(o.job, o.detail) for o in outcomes]

    # A quarter of an hour later only the 15-minute packs are due; the archive's slot is done.
    clock.advance(minutes=15)
    again = {o.job: o for o in ops.scheduler(with_system_jobs=False).tick()}
    assert again["road_archive"].status == "taken" and "already success" in again["road_archive"].detail
    assert again["passenger_flow"].status == again["congestion_index"].status == "success", \
        [(o.job, o.status, o.detail) for o in again.values()]

    runs = ctx.state.list_runs()
    assert {r["trigger"] for r in runs} == {"schedule"} and {r["status"] for r in runs} == {"success"}
    assert sorted(r["pack"] for r in runs) == sorted(["road_archive", *["passenger_flow", "congestion_index"] * 2])
    # From the raw sources to what the dashboards draw: every chart has data (a table may be empty:
    # the 4-day world holds no event day to compare).
    tables = {(d.key, c.id) for d in DashboardService(ctx).dashboards.values() for c in d.spec.charts
              if c.type == "table"}
    empty = [(board, chart_id) for pack in PACKS for board, charts in render_all_dashboards(ctx, pack).items()
             for chart_id, chart in charts.items() if chart.get("empty") and (board, chart_id) not in tables]
    assert empty == []
    assert ctx.engine.scalar("SELECT count(*) FROM dws.cg_segment_15min") > 0
    assert ctx.engine.scalar("SELECT count(*) FROM ads.pf_holiday_yoy") > 0
