"""The audit log: every access and every security change, in an SM3 hash chain.

Each record's hash covers the previous hash, so an edited, removed or reordered record breaks the
chain at that point (``verify``). Details never hold personal data or secrets: callers pass ids,
counts and names of things, not values.

Writes are group-committed: ``record`` returns only once its record is committed (an access is
never answered before it is audited, and a crash loses nothing that was answered), but callers that
arrive while a transaction is being written wait and go into the next one together. Under load one
transaction (one read of the chain's tail, one multi-row insert, one commit) serves many requests,
where one per request made every API call queue behind the audit lock. There is no queue or thread
to flush at shutdown: a record is either committed or its caller is still waiting for it. The
backlog is bounded by the callers themselves (each waits for its own record; a server has a fixed
worker pool). If the transaction fails, every caller in it gets the error, as a lone write would.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from lingshu.security.audit import GENESIS, ChainCheck, link, verify_chain
from lingshu.security.errors import SecurityError
from lingshu.state.schema import audit_log
from lingshu.state.store import StateStore

_LOCK = threading.Lock()


def _ts_text(ts: datetime) -> str:
    """UTC, naive, microseconds: the same text whether the store kept the zone (PG) or not (SQLite)."""
    if ts.tzinfo is not None:
        ts = ts.astimezone(UTC).replace(tzinfo=None)
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _record(ts: datetime, actor: str, action: str, resource: str | None, outcome: str,
            detail: str | None) -> dict[str, Any]:
    return {"ts": _ts_text(ts), "actor": actor, "action": action, "resource": resource,
            "outcome": outcome, "detail": detail}


class _Pending:
    """One record waiting for its transaction; ``done`` once committed or failed."""

    __slots__ = ("done", "error", "row")

    def __init__(self, row: dict[str, Any]):
        self.row = row
        self.done = False
        self.error: BaseException | None = None


class AuditLog:
    MAX_BATCH = 500  # records per transaction: keeps one transaction short when a backlog builds up

    def __init__(self, store: StateStore):
        self.engine = store.engine
        self._postgres = store.url.startswith("postgresql")
        self._cond = threading.Condition()
        self._pending: list[_Pending] = []
        self._writing = False
        self.transactions = 0  # committed audit transactions (tests read it to see batching happen)

    def record(self, actor: str, action: str, resource: str | None = None, outcome: str = "allowed",
               **detail: Any) -> None:
        """Append one record; returns once it is committed, raises ``SecurityError`` if it could not be."""
        detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else None
        with self._cond:
            # The timestamp is taken under the lock, so ids and timestamps follow the same order.
            item = _Pending({"ts": datetime.now(UTC), "actor": actor, "action": action, "resource": resource,
                             "outcome": outcome, "detail": detail_text})
            self._pending.append(item)
            while not item.done:
                if self._writing:
                    self._cond.wait()  # a transaction is being written; ours goes into the next one
                    continue
                # Nobody is writing: this caller writes everything queued so far, its own record included.
                batch, self._pending = self._pending[:self.MAX_BATCH], self._pending[self.MAX_BATCH:]
                self._writing = True
                error: BaseException | None = SecurityError("audit write interrupted")
                self._cond.release()
                try:
                    error = self._write([p.row for p in batch])
                finally:
                    # Even if the writer is interrupted, its batch is answered, never left waiting.
                    self._cond.acquire()
                    self._writing = False
                    for p in batch:
                        p.done, p.error = True, error
                    self._cond.notify_all()
        if item.error is not None:
            # The type only: a database error's text carries the statement's parameters (actor, filters).
            raise SecurityError(f"审计记录写入失败 the audit record could not be written "
                                f"({type(item.error).__name__}); the access was refused",
                                hint="check the state store (disk space, connections): every access must be "
                                     "audited, so accesses fail until it is writable again") from item.error

    def _write(self, rows: list[dict[str, Any]]) -> BaseException | None:
        try:
            # _LOCK: one chain writer per process even with several AuditLog objects on one store.
            with _LOCK, self.engine.begin() as c:
                if self._postgres:
                    # Serialise writers across processes so the chain never forks.
                    c.execute(sa.text("SELECT pg_advisory_xact_lock(760431)"))
                prev = c.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar()
                prev = prev or GENESIS
                for row in rows:
                    prev = row["hash"] = link(prev, _record(row["ts"], row["actor"], row["action"],
                                                            row["resource"], row["outcome"], row["detail"]))
                c.execute(audit_log.insert(), rows)  # one executemany, in arrival (= chain) order
            self.transactions += 1
            return None
        except Exception as exc:  # noqa: BLE001 - handed to every caller in the batch, raised there
            return exc

    def list(self, limit: int = 50, actor: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if actor:
            query = query.where(audit_log.c.actor == actor)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    def verify(self) -> ChainCheck:
        """Recompute the chain over the stored rows; ``broken_id`` is the audit row's id."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(audit_log).order_by(audit_log.c.id)).all()
        records = [_record(r.ts, r.actor, r.action, r.resource, r.outcome, r.detail) for r in rows]
        result = verify_chain(records, [r.hash for r in rows])
        if result.ok or result.broken_index is None or result.broken_index >= len(rows):
            return result
        return ChainCheck(False, result.checked, result.broken_index, rows[result.broken_index].id)
