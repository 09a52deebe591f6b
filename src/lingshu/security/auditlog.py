"""The audit log: every access and every security change, in an SM3 hash chain.

Each record's hash covers the previous hash, so an edited, removed or reordered record breaks the
chain at that point (``verify``). Details never hold personal data or secrets: callers pass ids,
counts and names of things, not values.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from lingshu.security.audit import GENESIS, ChainCheck, link, verify_chain
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


class AuditLog:
    def __init__(self, store: StateStore):
        self.engine = store.engine
        self._postgres = store.url.startswith("postgresql")

    def record(self, actor: str, action: str, resource: str | None = None, outcome: str = "allowed",
               **detail: Any) -> None:
        detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else None
        ts = datetime.now(UTC)
        with _LOCK, self.engine.begin() as c:
            if self._postgres:
                # Serialise writers across processes so the chain never forks.
                c.execute(sa.text("SELECT pg_advisory_xact_lock(760431)"))
            prev = c.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar()
            digest = link(prev or GENESIS, _record(ts, actor, action, resource, outcome, detail_text))
            c.execute(audit_log.insert().values(ts=ts, actor=actor, action=action, resource=resource,
                                                outcome=outcome, detail=detail_text, hash=digest))

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
