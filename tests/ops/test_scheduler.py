"""The scheduler: at-most-once across processes, approvals, dependencies, retries, backfill."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from lingshu.core.context import Context
from lingshu.core.errors import PackError
from lingshu.ops import Ops
from lingshu.state.store import StateStore
from ops_support import FakeClock, approve, make_ctx, raw_csv


def test_two_schedulers_run_a_due_job_exactly_once(tmp_path: Path, state_url: str, clock: FakeClock) -> None:
    with make_ctx(tmp_path, state_url) as ctx:
        approve(ctx, "orders")
        stores = [StateStore(state_url), StateStore(state_url)]  # two processes' connection pools
        schedulers = [Ops(ctx, store=s, clock=clock, sleep=lambda _: None).scheduler(owner=f"s{i}", with_system_jobs=False)
                      for i, s in enumerate(stores)]
        barrier = threading.Barrier(2, timeout=30)
        for s in schedulers:  # both reach the INSERT together, so the database decides
            original = s.locks.acquire
            s.locks.acquire = lambda *a, _o=original, **k: (barrier.wait(), _o(*a, **k))[1]
        results: dict[str, list] = {}

        def tick(s):  # noqa: ANN001
            results[s.locks.owner] = s.tick()

        threads = [threading.Thread(target=tick, args=(s,)) for s in schedulers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(o.status for r in results.values() for o in r)
        assert statuses == ["success", "taken"]
        runs = ctx.state.list_runs("orders")
        assert len(runs) == 1 and runs[0]["trigger"] == "schedule" and runs[0]["status"] == "success"
        # A later tick inside the grace window finds the slot already taken.
        del schedulers[0].locks.acquire  # back to the real method, without the barrier
        assert [o.status for o in schedulers[0].tick()] == ["taken"]
        assert len(ctx.state.list_runs("orders")) == 1
        for s in stores:
            s.dispose()


def test_unapproved_packs_are_skipped_with_the_reason(ops: Ops) -> None:
    outcomes = {o.job: o for o in ops.scheduler(with_system_jobs=False).tick()}
    assert outcomes["orders"].status == "skipped" and "not approved (unreviewed)" in outcomes["orders"].detail
    assert ops.ctx.state.list_runs() == []
    job = ops.scheduler().locks.get("orders", outcomes["orders"].slot)
    assert job["status"] == "skipped" and "approve request orders" in job["detail"]
    assert any(r["action"] == "schedule.skip" and r["outcome"] == "denied" for r in ops.ctx.security.audit.list())


def test_dependencies_run_first_and_a_failed_upstream_skips_downstream(ops: Ops, ops_ctx: Context) -> None:
    approve(ops_ctx, "orders", "orders_report")
    outcomes = ops.scheduler(with_system_jobs=False).tick()
    assert [(o.job, o.status) for o in outcomes] == [("orders", "success"), ("orders_report", "success")]
    assert ops_ctx.engine.scalar("SELECT orders FROM ads.orders_total") == 3

    # Next day someone edits a file of the pack: the reviewed version is gone, so it stops going live,
    # and its dependent is not run on the stale input either.
    (ops_ctx.catalog.get("orders").root / "models/dwd/orders.sql").write_text("SELECT 1 AS order_id", encoding="utf-8")
    ops.clock.advance(days=1)
    outcomes = {o.job: o for o in ops.scheduler(with_system_jobs=False).tick()}
    assert outcomes["orders"].status == "skipped" and "not approved (changed)" in outcomes["orders"].detail
    assert outcomes["orders_report"].status == "skipped" and "orders" in outcomes["orders_report"].detail

    # Re-reviewed and approved, but the run fails: the dependent is skipped again, with the reason.
    approve(ops_ctx, "orders")
    scheduler = ops.scheduler(with_system_jobs=False)
    real = scheduler.runner
    scheduler.runner = lambda pack, trigger: (_ for _ in ()).throw(PackError("source database unreachable")) \
        if pack == "orders" else real(pack, trigger)
    ops.clock.advance(days=1)
    outcomes = {o.job: o for o in scheduler.tick()}
    assert outcomes["orders"].status == "failed" and "unreachable" in outcomes["orders"].detail
    assert outcomes["orders_report"].status == "skipped" and "did not succeed" in outcomes["orders_report"].detail


def test_a_dependent_scheduled_more_often_runs_after_its_upstreams_slot_is_done(tmp_path: Path,
                                                                              clock: FakeClock) -> None:
    # orders daily at 02:00, its report every 15 minutes: for the misfire grace after 02:00 every
    # pass finds the orders slot already done ("taken"), which must not hold the report back.
    with make_ctx(tmp_path, with_report=True, report_cron="*/15 * * * *") as ctx:
        approve(ctx, "orders", "orders_report")
        ops = Ops(ctx, clock=clock, sleep=lambda seconds: None)
        first = ops.scheduler(with_system_jobs=False).tick()
        assert [(o.job, o.status) for o in first] == [("orders", "success"), ("orders_report", "success")]
        clock.advance(minutes=15)
        later = {o.job: o for o in ops.scheduler(with_system_jobs=False).tick()}
        assert later["orders"].status == "taken" and later["orders"].slot_status == "success"
        assert later["orders_report"].status == "success", later["orders_report"].detail
        assert [r["pack"] for r in ctx.state.list_runs()] == ["orders_report", "orders_report", "orders"]


def test_retry_with_backoff_then_success(ops: Ops, ops_ctx: Context, sleeps: list[float]) -> None:
    approve(ops_ctx, "orders", "orders_report")
    csv = raw_csv(ops_ctx)
    saved = csv.read_text(encoding="utf-8")
    csv.unlink()  # the file server is late: the first two attempts find nothing
    calls = []

    def flaky_then_fixed(pack: str, trigger: str):  # noqa: ANN202
        calls.append(pack)
        if pack == "orders" and calls.count("orders") == 3:
            csv.write_text(saved, encoding="utf-8")
        return ops_ctx.run(pack, trigger=trigger)

    scheduler = ops.scheduler(with_system_jobs=False)
    scheduler.runner = flaky_then_fixed
    outcome = scheduler.tick()[0]
    assert (outcome.job, outcome.status, outcome.attempts) == ("orders", "success", 3)
    assert sleeps == [60, 120]  # exponential backoff from ops defaults, slept through the injected sleep
    attempts = scheduler.locks.attempts(scheduler.locks.get("orders", outcome.slot)["id"])
    assert [a["status"] for a in attempts] == ["failed", "failed", "success"]
    assert [r["status"] for r in reversed(ops_ctx.state.list_runs("orders"))] == ["failed", "failed", "success"]
    assert ops.incidents.list() == []  # recovered within its retries: no alert


def test_exhausted_retries_raise_an_alert_and_incident(ops: Ops, ops_ctx: Context, sleeps: list[float]) -> None:
    approve(ops_ctx, "orders")
    (raw_csv(ops_ctx)).unlink()
    outcome = ops.scheduler(with_system_jobs=False).tick()[0]
    assert outcome.status == "failed" and outcome.attempts == 3 and len(sleeps) == 2
    [incident] = ops.incidents.list()
    # orders publishes an API, so a failed run is degraded service: 严重.
    assert (incident["kind"], incident["grade"], incident["rule"]) == ("run_failed", "serious", "published_data_not_updated")
    assert [n["channel"] for n in ops.alerts.notifications()] == ["console"]


def test_backfill_runs_each_scheduled_time_once(ops: Ops, ops_ctx: Context) -> None:
    approve(ops_ctx, "orders")
    scheduler = ops.scheduler(with_system_jobs=False)
    outcomes = scheduler.backfill("orders", date(2026, 2, 1), date(2026, 2, 3))
    assert [o.slot for o in outcomes] == ["2026-02-01T02:00+0800", "2026-02-02T02:00+0800", "2026-02-03T02:00+0800"]
    assert {o.status for o in outcomes} == {"success"} and {o.kind for o in outcomes} == {"backfill"}
    runs = ops_ctx.state.list_runs("orders")
    assert len(runs) == 3 and {r["trigger"] for r in runs} == {"backfill"}
    # Again over a wider range: only the new day runs; done slots are left alone.
    again = scheduler.backfill("orders", date(2026, 2, 1), date(2026, 2, 4))
    assert [o.status for o in again] == ["taken", "taken", "taken", "success"]
    assert len(ops_ctx.state.list_runs("orders")) == 4


def test_backfill_retakes_failed_slots(ops: Ops, ops_ctx: Context) -> None:
    approve(ops_ctx, "orders")
    csv = raw_csv(ops_ctx)
    saved = csv.read_text(encoding="utf-8")
    csv.unlink()
    scheduler = ops.scheduler(with_system_jobs=False)
    assert scheduler.backfill("orders", date(2026, 2, 1), date(2026, 2, 1))[0].status == "failed"
    csv.write_text(saved, encoding="utf-8")
    assert scheduler.backfill("orders", date(2026, 2, 1), date(2026, 2, 1))[0].status == "success"


def test_manual_run_and_system_jobs(ops: Ops, ops_ctx: Context) -> None:
    approve(ops_ctx, "orders")
    scheduler = ops.scheduler()
    manual = scheduler.run_now("orders")
    assert manual.status == "success" and manual.kind == "manual" and manual.slot.startswith("manual:")
    # 02:00:30 Beijing: the */5 monitor is due, and the 01:30 backup is 30 minutes late, inside
    # the 60-minute grace, so it runs too, once.
    jobs = {o.job: o for o in scheduler.tick()}
    assert jobs["__monitor__"].status == "success" and jobs["__backup__"].status == "success"
    assert {o.job: o.status for o in scheduler.tick()}["__backup__"] == "taken"
