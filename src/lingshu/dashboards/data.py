"""Detail rows of warehouse tables under grants: the dashboards' tables and map layers, and the
console's dataset browser.

Grants decide the visible columns and rows (``Decision.columns``, ``row_filter``); columns that
the classification rules call personal or sensitive are masked unless the caller also holds a
``decrypt`` grant on the table. Dashboards may only read *published* tables (listed in some pack's
``apis``). Values reach SQL as parameters; names are checked against the table's real columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from lingshu.dashboards.errors import DashboardError
from lingshu.security.accounts import AccessDenied, Principal
from lingshu.security.classification import DEFAULT_POLICY, suggest_policy
from lingshu.security.masking import mask

if TYPE_CHECKING:
    from lingshu.core.context import Context

SENSITIVE_LEVELS = {"敏感", "重要", "sensitive", "important"}


@dataclass
class Rows:
    table: str
    columns: list[str]
    titles: dict[str, str]
    rows: list[dict[str, Any]]
    total: int
    offset: int = 0
    masked: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # asked for, but not granted

    def as_json(self) -> dict[str, Any]:
        return {"dataset": self.table, "columns": [{"name": c, "title": self.titles.get(c, c)} for c in self.columns],
                "rows": [{k: _jsonable(v) for k, v in r.items()} for r in self.rows], "total": self.total,
                "offset": self.offset, "masked": self.masked, "hidden": self.hidden}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)  # decimals and the like


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class DatasetReader:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def published(self) -> set[str]:
        return {t for p in self.ctx.catalog.packs.values() for t in p.spec.apis}

    def tables(self) -> list[dict[str, Any]]:
        """Every table some pack produces, with its title and whether it is built and published."""
        published = self.published()
        out = []
        for table, pack in sorted(self.ctx.catalog.producers.items()):
            node = pack.produces()[table]
            spec = getattr(node, "spec", node)
            title = getattr(spec, "title", None) or ""
            layer, name = table.split(".")
            out.append({"table": table, "pack": pack.id, "title": title, "layer": layer,
                        "published": table in published, "built": self.ctx.engine.table_exists(layer, name)})
        return out

    def titles(self, table: str) -> dict[str, tuple[str | None, Any]]:
        """column -> (Chinese title, declared ColumnSpec) from the producing pack, when declared."""
        pack = self.ctx.catalog.producers.get(table)
        if pack is None:
            return {}
        node = pack.produces()[table]
        cols = getattr(node, "columns", None) or getattr(getattr(node, "spec", None), "columns", None) or []
        out = {c.name: (c.title, c) for c in cols}
        # A model without declared columns usually keeps its source's names: borrow their titles.
        for source in pack.spec.sources:
            for c in source.columns:
                out.setdefault(c.name, (c.title, c))
        return out

    def mask_kind(self, column: str, declared: tuple[str | None, Any] | None) -> str | None:
        title, spec = declared or (None, None)
        policy = suggest_policy(title) if title else DEFAULT_POLICY
        if policy is DEFAULT_POLICY:
            policy = suggest_policy(column)
        if policy.mask:
            return policy.mask
        if spec is not None and (spec.personal or (spec.classification or "") in SENSITIVE_LEVELS):
            return "keep:1:1"
        return None

    def read(self, principal: Principal, table: str, *, columns: list[str] | None = None,
             equals: dict[str, Any] | None = None, time: tuple[str, Any, Any] | None = None,
             order_by: str | None = None, limit: int | None = 50, offset: int = 0,
             published_only: bool = True) -> Rows:
        """Rows of ``table`` the principal may see. ``equals``: column -> value or list of values."""
        if published_only and table not in self.published():
            raise DashboardError(f"{table} is not a published table",
                                 hint="list it under apis: in its pack.yaml, or show an indicator instead")
        layer, _, name = table.partition(".")
        if table not in self.ctx.catalog.producers or not self.ctx.engine.table_exists(layer, name):
            raise DashboardError(f"{table} does not exist or has not been built yet",
                                 hint=f"run its pack: lingshu run {self.ctx.catalog.producers[table].id}"
                                 if table in self.ctx.catalog.producers else "check the table name")
        decision = self.ctx.security.grants.decide(principal, f"dataset:{table}")
        real = [c.name for c in self.ctx.engine.columns(layer, name)]
        wanted = columns or [c for c in real if not c.startswith("_")]
        unknown = [c for c in [*wanted, *(equals or {}), *([time[0]] if time else [])] if c not in real]
        if unknown:
            raise DashboardError(f"{table} has no column(s) {', '.join(unknown)}", hint=f"columns: {', '.join(real)}")
        allowed = [c for c in wanted if decision.columns is None or c in decision.columns]
        hidden = [c for c in wanted if c not in allowed]
        if not allowed:
            raise AccessDenied(f"{principal.username} may see none of the columns asked for in {table}",
                               hint="ask a 安全管理员 for a grant that includes them")
        where, params = [], []
        if decision.row_filter:
            where.append(f"({decision.row_filter})")
        for column, value in (equals or {}).items():
            values = value if isinstance(value, list | tuple) else [value]
            where.append(f"{quote(column)} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
        if time:
            column, start, end = time
            if start is not None:
                where.append(f"{quote(column)} >= ?")
                params.append(start)
            if end is not None:
                where.append(f"{quote(column)} < ?")
                params.append(end)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        order = ""
        if order_by:
            col = order_by.lstrip("-")
            if col not in real:
                raise DashboardError(f"cannot sort {table} by {col!r}", hint=f"columns: {', '.join(real)}")
            order = f" ORDER BY {quote(col)} {'DESC' if order_by.startswith('-') else 'ASC'} NULLS LAST"
        total = int(self.ctx.engine.scalar(f"SELECT count(*) FROM {layer}.{quote(name)}{clause}", params) or 0)
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        result = self.ctx.engine.query(
            f"SELECT {', '.join(quote(c) for c in allowed)} FROM {layer}.{quote(name)}{clause}{order}{page}", params)
        result, masked = self._mask(principal, table, result)
        declared = self.titles(table)
        titles = {c: (declared.get(c, (None, None))[0] or c) for c in allowed}
        return Rows(table, allowed, titles, result.to_pylist(), total, offset, masked, hidden)

    def _mask(self, principal: Principal, table: str, result: pa.Table) -> tuple[pa.Table, list[str]]:
        declared = self.titles(table)
        kinds = {c: self.mask_kind(c, declared.get(c)) for c in result.column_names}
        kinds = {c: k for c, k in kinds.items() if k}
        if not kinds:
            return result, []
        try:
            self.ctx.security.grants.decide(principal, f"dataset:{table}", "decrypt")
            return result, []  # cleared to see the values in clear
        except AccessDenied:
            pass
        for column, kind in kinds.items():
            i = result.column_names.index(column)
            result = result.set_column(i, column, mask(result.column(column).combine_chunks(), kind))
        return result, sorted(kinds)
