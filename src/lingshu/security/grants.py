"""Grants: which user or role may do what on which dataset, indicator or pack.

A grant names a subject (``user:wang`` or ``role:analyst``), a resource (``dataset:ads.x``,
``indicator:pack.id``, ``pack:id``, or a prefix pattern like ``dataset:ads.*``), actions, and
optionally the visible columns, a row filter and a spatial extent (最小化共享). The decision for a
principal merges every grant that applies.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from lingshu.core.errors import LingshuError
from lingshu.security.accounts import AccessDenied, Principal
from lingshu.security.ttlcache import DEFAULT_TTL, TtlCache
from lingshu.state.schema import grants
from lingshu.state.store import StateStore

ACTIONS = ("read", "export", "decrypt", "run")


@dataclass(frozen=True)
class Decision:
    """What a principal may see of one resource. ``columns is None`` means every column."""

    resource: str
    action: str
    columns: frozenset[str] | None
    row_filters: tuple[str, ...]  # OR-ed: each grant may open a different slice
    extents: tuple[tuple[float, float, float, float], ...]

    @property
    def row_filter(self) -> str | None:
        if not self.row_filters:
            return None
        return " OR ".join(f"({f})" for f in self.row_filters)


class Grants:
    """Grant rows are read per subject set and kept for ``ttl`` seconds: the API decides on every
    request, and a change made in this process takes effect at once (in others within ``ttl``)."""

    def __init__(self, store: StateStore, ttl: float = DEFAULT_TTL):
        self.engine = store.engine
        self._cache = TtlCache(ttl)  # subject set -> its grant rows

    def _rows(self, subjects: frozenset[str]) -> list[Any]:
        rows = self._cache.get(subjects)
        if rows is None:
            with self.engine.connect() as c:
                rows = c.execute(sa.select(grants).where(grants.c.subject.in_(subjects))).all()
            self._cache.put(subjects, rows)
        return rows

    def add(self, subject: str, resource: str, actions: list[str], *, columns: list[str] | None = None,
            row_filter: str | None = None, extent: tuple[float, float, float, float] | None = None,
            granted_by: str | None = None) -> int:
        kind, _, name = subject.partition(":")
        if kind not in ("user", "role") or not name:
            raise LingshuError(f"bad subject {subject!r}", hint="write user:<name> or role:<name>")
        bad = [a for a in actions if a not in ACTIONS]
        if bad:
            raise LingshuError(f"unknown action(s) {', '.join(bad)}", hint=f"actions are {', '.join(ACTIONS)}")
        if ":" not in resource and resource != "*":
            raise LingshuError(f"bad resource {resource!r}", hint="write dataset:ads.x, indicator:pack.id or pack:id")
        with self.engine.begin() as c:
            result = c.execute(grants.insert().values(
                subject=subject, resource=resource, actions=",".join(actions),
                columns=json.dumps(columns, ensure_ascii=False) if columns is not None else None,
                row_filter=row_filter, extent=",".join(map(str, extent)) if extent else None,
                granted_by=granted_by, created_at=datetime.now(UTC)))
        self._cache.clear()
        return int(result.inserted_primary_key[0])

    def revoke(self, grant_id: int) -> None:
        with self.engine.begin() as c:
            if not c.execute(grants.delete().where(grants.c.id == grant_id)).rowcount:
                raise LingshuError(f"no grant #{grant_id}", hint="`lingshu grant list` shows them")
        self._cache.clear()

    def list(self) -> list[dict[str, object]]:
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(sa.select(grants).order_by(grants.c.id))]

    def decide(self, principal: Principal, resource: str, action: str = "read") -> Decision:
        """Merge the grants that apply, or raise AccessDenied (the caller audits either way)."""
        if not principal.can("data.read"):
            raise AccessDenied(f"{principal.username} has no data access role",
                               hint="give the account the analyst, engineer, viewer or client role")
        if action == "export" and not principal.can("data.export"):
            raise AccessDenied(f"{principal.username}'s roles do not allow exports",
                               hint="exports need the analyst or client role as well as an export grant")
        subjects = frozenset({f"user:{principal.username}", *(f"role:{r}" for r in principal.roles)})
        rows = self._rows(subjects)
        matching = [r for r in rows if action in r.actions.split(",")
                    and (r.resource == "*" or fnmatch.fnmatchcase(resource, r.resource))]
        if not matching:
            raise AccessDenied(f"{principal.username} has no {action} grant on {resource}",
                               hint="ask a 安全管理员 (secadmin) for a grant: `lingshu grant add`")
        columns: set[str] | None = set()
        filters: list[str] = []
        extents: list[tuple[float, float, float, float]] = []
        unfiltered = False
        for r in matching:
            if r.columns is None:
                columns = None
            elif columns is not None:
                columns |= set(json.loads(r.columns))
            if r.row_filter:
                filters.append(r.row_filter)
            else:
                unfiltered = True
            if r.extent:
                extents.append(tuple(float(v) for v in r.extent.split(",")))  # type: ignore[arg-type]
        # One grant without a row filter opens every row; likewise an unbounded grant every place.
        return Decision(resource, action, frozenset(columns) if columns is not None else None,
                        () if unfiltered else tuple(filters),
                        () if any(r.extent is None for r in matching) else tuple(extents))
