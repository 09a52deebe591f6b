"""Job rows in the state store: the INSERT that wins a scheduled time is the lock.

``job_runs`` has a unique constraint on (job, slot). Every scheduler process computes the same
slots from the same cron expressions and tries to insert; the database lets exactly one insert
succeed and the others get an integrity error, so a job runs at most once per slot however many
schedulers run, on SQLite and PostgreSQL alike, with no lock server and no clock agreement
beyond the minute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lingshu.ops.timeutil import Clock, as_utc, utcnow
from lingshu.state.schema import job_attempts, job_runs
from lingshu.state.store import StateStore

# Statuses a backfill may take over again: it fills gaps, it does not redo good work.
RETAKEABLE = ("failed", "skipped")


class JobLocks:
    def __init__(self, store: StateStore, owner: str, clock: Clock = utcnow):
        self.engine = store.engine
        self.owner = owner
        self.clock = clock

    def acquire(self, job: str, slot: str, scheduled_for: datetime, kind: str, *,
                retake: bool = False) -> int | None:
        """The job row's id if this process won the slot, else None (another scheduler has it or had it)."""
        values = {"scheduled_for": scheduled_for, "kind": kind, "owner": self.owner, "status": "running",
                  "attempts": 0, "acquired_at": self.clock(), "finished_at": None, "detail": None, "run_id": None}
        try:
            with self.engine.begin() as c:
                return int(c.execute(job_runs.insert().values(job=job, slot=slot, **values)).inserted_primary_key[0])
        except IntegrityError:
            pass
        if not retake:
            return None
        with self.engine.begin() as c:
            # Conditional update: of several backfills racing for one failed slot, one gets rowcount 1.
            done = c.execute(job_runs.update().where(job_runs.c.job == job, job_runs.c.slot == slot,
                                                     job_runs.c.status.in_(RETAKEABLE)).values(**values))
            if done.rowcount != 1:
                return None
            return int(c.execute(sa.select(job_runs.c.id).where(job_runs.c.job == job, job_runs.c.slot == slot)).scalar())

    def finish(self, job_id: int, status: str, *, attempts: int = 0, run_id: int | None = None,
               detail: str | None = None) -> None:
        with self.engine.begin() as c:
            c.execute(job_runs.update().where(job_runs.c.id == job_id).values(
                status=status, attempts=attempts, run_id=run_id, detail=detail, finished_at=self.clock()))

    def record_attempt(self, job_id: int, attempt: int, started: datetime, status: str,
                       run_id: int | None, error: str | None) -> None:
        with self.engine.begin() as c:
            c.execute(job_attempts.insert().values(job_run_id=job_id, attempt=attempt, run_id=run_id, status=status,
                                                   started_at=started, ended_at=self.clock(), error=error))

    def get(self, job: str, slot: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(job_runs).where(job_runs.c.job == job, job_runs.c.slot == slot)).first()
        return _row(row) if row else None

    def list(self, job: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        q = sa.select(job_runs).order_by(job_runs.c.id.desc()).limit(limit)
        if job:
            q = q.where(job_runs.c.job == job)
        with self.engine.connect() as c:
            return [_row(r) for r in c.execute(q)]

    def attempts(self, job_id: int) -> list[dict[str, Any]]:
        q = sa.select(job_attempts).where(job_attempts.c.job_run_id == job_id).order_by(job_attempts.c.attempt)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q)]


def _row(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    for col in ("scheduled_for", "acquired_at", "finished_at"):
        out[col] = as_utc(out[col])
    return out
