"""The scheduler: runs approved packs on their cron schedules (Asia/Shanghai), with retries.

``tick(now)`` does one pass and is what tests drive with a fake clock; ``loop`` calls it every
``tick_seconds``. A pass finds each pack whose latest fire time lies within the misfire grace
window, wins the (pack, time) slot in the state store or leaves it to the scheduler that did
(``jobs.JobLocks``), skips packs that are not approved (recording why), runs dependencies before
their dependents, retries failures with exponential backoff, and raises an alert when the last
attempt fails. Missed times older than the grace window are not run late: that is what
``backfill`` is for, so a scheduler restarted after a week does not fire seven runs at once.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from lingshu.core.errors import LingshuError
from lingshu.ops.cron import Cron
from lingshu.ops.errors import OpsError
from lingshu.ops.events import Alert
from lingshu.ops.jobs import JobLocks
from lingshu.ops.timeutil import SHANGHAI, as_utc

if TYPE_CHECKING:
    from lingshu.core.runner import RunReport
    from lingshu.ops.service import Ops
    from lingshu.pack.loader import Pack

ACTOR = "scheduler"


@dataclass
class JobOutcome:
    job: str
    slot: str
    kind: str
    status: str  # success, failed, skipped, taken (another scheduler won the slot)
    attempts: int = 0
    run_id: int | None = None
    detail: str | None = None
    slot_status: str | None = None  # when taken: how the slot's own run stands (running, success...)

    @property
    def done(self) -> bool:
        """Its run for this slot succeeded: in this pass, or earlier (by this or another scheduler).

        A pack scheduled less often than its dependents (a daily archive under a 15-minute index)
        is "taken" in every pass of its misfire grace after its run; that must not hold them back.
        """
        return self.status == "success" or (self.status == "taken" and self.slot_status == "success")


def default_owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def slot_of(fire: datetime) -> str:
    """The slot key of a fire time: Beijing wall time, minute precision, same in every process."""
    return fire.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M%z")


class Scheduler:
    def __init__(self, ops: Ops, *, owner: str | None = None,
                 runner: Callable[[str, str], RunReport] | None = None):
        self.ops = ops
        self.ctx = ops.ctx
        self.config = ops.config.scheduler
        self.locks = JobLocks(ops.store, owner or default_owner(), ops.clock)
        # (pack, trigger) -> RunReport; the default is the Context's runner.
        self.runner = runner or (lambda pack, trigger: self.ctx.run(pack, trigger=trigger))
        # Extra periodic jobs beside packs (backup, monitor): name -> (cron or interval, action).
        self.extra_jobs: dict[str, tuple[Cron, Callable[[], str]]] = {}

    # -- what is due ----------------------------------------------------------------------------
    def scheduled_packs(self) -> dict[str, Cron]:
        out = {}
        for pack in self.ctx.catalog.packs.values():
            if pack.spec.schedule is not None:
                out[pack.id] = Cron.parse(pack.spec.schedule.cron, pack.spec.schedule.timezone)
        return out

    def due(self, now: datetime) -> list[tuple[str, datetime]]:
        """(pack, fire time) pairs due at ``now``, dependencies first."""
        grace = timedelta(minutes=self.config.misfire_grace_minutes)
        due = {}
        for pack_id, cron in self.scheduled_packs().items():
            fire = cron.latest_at_or_before(now, grace)
            if fire is not None:
                due[pack_id] = fire
        return [(p, due[p]) for p in self._dependency_order(set(due))]

    def _dependency_order(self, packs: set[str]) -> list[str]:
        catalog = self.ctx.catalog
        remaining = {p: catalog.closure(p) & packs for p in packs}
        ordered: list[str] = []
        while remaining:
            ready = sorted(p for p, deps in remaining.items() if not deps)
            if not ready:  # the catalog rejects cycles; this is only a guard
                ready = sorted(remaining)
            ordered.extend(ready)
            for p in ready:
                del remaining[p]
            for deps in remaining.values():
                deps.difference_update(ready)
        return ordered

    # -- one pass -------------------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> list[JobOutcome]:
        now = as_utc(now or self.ops.clock())
        outcomes: dict[str, JobOutcome] = {}
        for pack_id, fire in self.due(now):
            outcomes[pack_id] = self.execute(pack_id, fire, "schedule", finished=outcomes)
        extra = []
        grace = timedelta(minutes=self.config.misfire_grace_minutes)
        for name, (cron, action) in sorted(self.extra_jobs.items()):
            fire = cron.latest_at_or_before(now, grace)
            if fire is not None:
                extra.append(self._extra(name, fire, action))
        return [*outcomes.values(), *extra]

    def run_now(self, pack_id: str) -> JobOutcome:
        """A manual run through the scheduler: same approvals check, retries and alerts."""
        now = self.ops.clock()
        slot = f"manual:{now.strftime('%Y%m%dT%H%M%S.%f')}:{uuid.uuid4().hex[:6]}"
        return self.execute(pack_id, now, "manual", slot=slot)

    def backfill(self, pack_id: str, start: date, end: date) -> list[JobOutcome]:
        """One run per scheduled time from ``start`` 00:00 to ``end`` 23:59 (Beijing), oldest first.

        Slots already run successfully are left alone; failed or skipped ones are run again.
        """
        if end < start:
            raise OpsError(f"backfill from {start} to {end} runs backwards", hint="put the earlier date first")
        pack = self.ctx.catalog.get(pack_id)
        if pack.spec.schedule is None:
            raise OpsError(f"pack {pack_id} has no schedule to backfill",
                           hint="add schedule: {cron: '0 2 * * *'} to its pack.yaml, or use `lingshu run`")
        cron = Cron.parse(pack.spec.schedule.cron, pack.spec.schedule.timezone)
        fires = cron.between(datetime.combine(start, time(0), cron.tz), datetime.combine(end, time(23, 59), cron.tz))
        return [self.execute(pack_id, fire, "backfill", retake=True) for fire in fires]

    # -- running one job ------------------------------------------------------------------------
    def execute(self, pack_id: str, fire: datetime, kind: str, *, slot: str | None = None, retake: bool = False,
                finished: dict[str, JobOutcome] | None = None) -> JobOutcome:
        slot = slot or slot_of(fire)
        job_id = self.locks.acquire(pack_id, slot, as_utc(fire), kind, retake=retake)
        if job_id is None:
            existing = self.locks.get(pack_id, slot)
            status = existing["status"] if existing else None
            return JobOutcome(pack_id, slot, kind, "taken", slot_status=status,
                              detail=f"already {status or 'taken'} by {existing and existing['owner']}")
        pack = self.ctx.catalog.get(pack_id)
        reason = self._blocked(pack, finished or {})
        if reason:
            self.locks.finish(job_id, "skipped", detail=reason)
            self.ctx.security.audit.record(ACTOR, "schedule.skip", f"pack:{pack_id}", outcome="denied",
                                           slot=slot, reason=reason)
            return JobOutcome(pack_id, slot, kind, "skipped", detail=reason)
        return self._attempts(pack, job_id, slot, kind)

    def _blocked(self, pack: Pack, finished: dict[str, JobOutcome]) -> str | None:
        status = self.ctx.security.approvals.status(pack.id, pack.root)
        if status != "approved":
            # Only reviewed, unchanged packs go live (安全审核): an edit after approval stops it too.
            return f"not approved ({status}): request a review with `lingshu approve request {pack.id}`"
        failed = [d for d in pack.spec.depends_on if d in finished and not finished[d].done]
        if failed:
            return f"upstream pack(s) did not succeed in this pass: {', '.join(failed)}"
        return None

    def _attempts(self, pack: Pack, job_id: int, slot: str, kind: str) -> JobOutcome:
        retry = self.config.retry
        run_id, error = None, None
        for attempt in range(1, retry.max_attempts + 1):
            started = self.ops.clock()
            try:
                report = self.runner(pack.id, kind)
                run_id = report.run_id
                error = None if report.status == "success" else "; ".join(
                    f"{s.table}: {s.error}" for s in report.failed) or report.status
            except LingshuError as exc:
                error = str(exc)
            except Exception as exc:  # a bug must not stop the 7x24 loop; it is recorded and alerted
                error = f"internal error: {exc!r}"
            self.locks.record_attempt(job_id, attempt, started, "failed" if error else "success", run_id, error)
            self._quality_alerts(pack, run_id)
            if error is None:
                self.locks.finish(job_id, "success", attempts=attempt, run_id=run_id)
                return JobOutcome(pack.id, slot, kind, "success", attempt, run_id)
            if attempt < retry.max_attempts:
                self.ops.sleep(retry.delay(attempt))
        self.locks.finish(job_id, "failed", attempts=retry.max_attempts, run_id=run_id, detail=error)
        self.ops.alerts.raise_alert(Alert(
            kind="run_failed", key=f"run_failed:{pack.id}", source=pack.id, pack=pack.id,
            serves_api=bool(pack.spec.apis or pack.spec.dashboards),
            title=f"场景包 {pack.spec.name}（{pack.id}）运行失败",
            message=f"{kind} 任务 {slot} 重试 {retry.max_attempts} 次后仍失败：{(error or '')[:1000]}",
            detail={"slot": slot, "run_id": run_id, "attempts": retry.max_attempts}))
        return JobOutcome(pack.id, slot, kind, "failed", retry.max_attempts, run_id, error)

    def _quality_alerts(self, pack: Pack, run_id: int | None) -> None:
        """A blocking quality rule that failed in this run is an alert of its own kind."""
        if run_id is None:
            return
        import sqlalchemy as sa

        from lingshu.state.schema import quality_runs

        with self.ops.store.engine.connect() as c:
            failed = c.execute(sa.select(quality_runs.c.table_name, quality_runs.c.score).where(
                quality_runs.c.run_id == run_id, quality_runs.c.status == "failed")).all()
        for table, score in failed:
            self.ops.alerts.raise_alert(Alert(
                kind="quality_blocking", key=f"quality_blocking:{table}", source=table, pack=pack.id,
                serves_api=bool(pack.spec.apis or pack.spec.dashboards),
                title=f"{table} 阻断级质量规则未通过", message=f"运行 #{run_id}，质量得分 {score}；下游表未发布。",
                detail={"run_id": run_id}))

    def _extra(self, name: str, fire: datetime, action: Callable[[], str]) -> JobOutcome:
        slot = slot_of(fire)
        job_id = self.locks.acquire(name, slot, as_utc(fire), "system")
        if job_id is None:
            return JobOutcome(name, slot, "system", "taken")
        try:
            detail = action()
        except Exception as exc:  # recorded, never fatal to the loop
            self.locks.finish(job_id, "failed", attempts=1, detail=str(exc)[:2000])
            return JobOutcome(name, slot, "system", "failed", 1, detail=str(exc))
        self.locks.finish(job_id, "success", attempts=1, detail=detail)
        return JobOutcome(name, slot, "system", "success", 1, detail=detail)

    # -- the loop -------------------------------------------------------------------------------
    def loop(self, stop: threading.Event | None = None, *, once: bool = False,
             on_tick: Callable[[list[JobOutcome]], Any] | None = None) -> None:
        stop = stop or threading.Event()
        while True:
            outcomes = self.tick()
            if on_tick:
                on_tick(outcomes)
            if once or stop.wait(self.config.tick_seconds):
                return
