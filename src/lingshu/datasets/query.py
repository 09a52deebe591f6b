"""Build and run one dataset query under a grant decision.

The caller's grant decides the visible columns, extra row conditions and spatial extent;
protected columns come back masked unless the grant allows them in clear (action ``decrypt``).
Pagination is keyset: the cursor holds the last row's sort values, so deep pages cost the same
as the first and stay stable while rows are added.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import exp

from lingshu.datasets import filters as f
from lingshu.datasets.catalog import Dataset
from lingshu.security.grants import Decision
from lingshu.security.masking import mask

MAX_LIMIT = 10_000
ROWID = "rowid"


@dataclass
class DatasetQuery:
    select: list[str] | None = None
    where: list[tuple[str, str]] = field(default_factory=list)  # (column, "op.value")
    order: list[str] = field(default_factory=list)  # "col" or "-col"
    limit: int = 100
    after: str | None = None
    count: bool = False
    spatial: dict[str, str] = field(default_factory=dict)  # bbox / near

    @classmethod
    def from_params(cls, params: list[tuple[str, str]]) -> DatasetQuery:
        q = cls()
        for name, value in params:
            if name == "select":
                q.select = [c for c in value.split(",") if c]
            elif name == "order":
                q.order = [c for c in value.split(",") if c]
            elif name == "limit":
                if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
                    raise f.bad("limit 超出范围", "limit out of range", f"1..{MAX_LIMIT}")
                q.limit = int(value)
            elif name == "after":
                q.after = value
            elif name == "count":
                q.count = value.lower() in ("true", "1", "exact")
            elif name in ("bbox", "near"):
                q.spatial[name] = value
            elif name not in f.RESERVED:
                q.where.append((name, value))
        return q

    def describe(self) -> dict[str, Any]:
        """For the audit log: which filters, never the rows."""
        return {"select": self.select, "where": [f"{c}={v}" for c, v in self.where], "order": self.order,
                "limit": self.limit, "spatial": self.spatial or None}


@dataclass
class QueryResult:
    table: pa.Table
    columns: list[str]
    masked: list[str]
    next_cursor: str | None
    total: int | None


def visible_columns(dataset: Dataset, decision: Decision) -> list[str]:
    return [c.name for c in dataset.columns if decision.columns is None or c.name in decision.columns]


def _grant_conditions(dataset: Dataset, decision: Decision) -> list[exp.Expression]:
    out: list[exp.Expression] = []
    if decision.row_filter:
        out.append(sqlglot.condition(decision.row_filter, dialect="duckdb"))
    if decision.extents:
        geom = dataset.geometry
        if geom is not None:
            out.append(exp.or_(*(exp.func("ST_Intersects", f.col(geom.name), f.envelope(box))
                                 for box in decision.extents)))
    return out


def _order(dataset: Dataset, query: DatasetQuery, visible: set[str]) -> list[tuple[str, bool]]:
    keys: list[tuple[str, bool]] = []
    for item in query.order:
        name, desc = (item[1:], True) if item.startswith("-") else (item, False)
        if name not in visible:
            raise f.bad(f"不能按 {name!r} 排序", f"cannot order by {name!r}", f"columns: {', '.join(sorted(visible))}")
        keys.append((name, desc))
    # A total order makes keyset pages exact: finish with the key (or the row id).
    for name in dataset.key or [ROWID]:
        if name not in {k for k, _ in keys}:
            keys.append((name, False))
    return keys


def _after(keys: list[tuple[str, bool]], cursor: str) -> exp.Expression:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        assert isinstance(values, list) and len(values) == len(keys)
    except Exception:
        raise f.bad("分页游标无效", "invalid cursor", "use the next cursor from the previous page unchanged") from None
    # (k1, k2, ...) > (v1, v2, ...) spelled out, direction-aware, NULLS LAST in both directions.
    branches = []
    for i, (name, desc) in enumerate(keys):
        equal = [exp.NullSafeEQ(this=f.col(k), expression=_lit(v)) for (k, _), v in zip(keys[:i], values[:i], strict=True)]
        value = values[i]
        if value is None:
            continue  # nothing sorts after NULL in this column
        cmp = exp.LT if desc else exp.GT
        beyond = exp.or_(cmp(this=f.col(name), expression=_lit(value)), exp.Is(this=f.col(name), expression=exp.Null()))
        branches.append(exp.and_(*equal, beyond) if equal else beyond)
    return exp.or_(*branches) if branches else exp.false()


def _lit(value: Any) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def build_sql(dataset: Dataset, query: DatasetQuery, decision: Decision,
              geometry: str = "wkt") -> tuple[str, str, list[tuple[str, bool]], list[str]]:
    """The page query, the count query, the sort keys and the output columns."""
    visible = visible_columns(dataset, decision)
    if query.select:
        unknown = [c for c in query.select if c not in visible]
        if unknown:
            raise f.bad(f"没有可读取的字段 {', '.join(unknown)}", f"no readable column(s) {', '.join(unknown)}",
                        f"columns: {', '.join(visible)}")
        output = list(query.select)
    else:
        output = visible
    conditions = [f.column_condition(dataset, c, v, set(visible)) for c, v in query.where]
    conditions += f.spatial_conditions(dataset, query.spatial)
    conditions += _grant_conditions(dataset, decision)
    keys = _order(dataset, query, set(visible) | set(dataset.key) | {ROWID})
    table = exp.table_(dataset.table, db=dataset.schema, quoted=True)
    base = exp.select(*[_projection(dataset, c, geometry) for c in output]).from_(table)
    where = f.conjunction(conditions)
    count_sql = exp.select(exp.func("count", exp.Star())).from_(table)
    if where is not None:
        base = base.where(where)
        count_sql = count_sql.where(where)
    page = base.copy()
    if query.after:
        page = page.where(_after(keys, query.after))
    # Sort values travel in hidden columns so the cursor can be built from the last row.
    page = page.select(*[exp.alias_(f.col(k), f"__k{i}") for i, (k, _) in enumerate(keys)])
    page = page.order_by(*[exp.Ordered(this=f.col(k), desc=d, nulls_first=False) for k, d in keys])
    page = page.limit(query.limit + 1)
    return page.sql(dialect="duckdb"), count_sql.sql(dialect="duckdb"), keys, output


def _projection(dataset: Dataset, name: str, geometry: str) -> exp.Expression:
    column = dataset.column(name)
    if column is not None and column.spatial:
        # Geometry leaves as text: WKT for JSON rows, CSV and xlsx; GeoJSON for feature output.
        func = "ST_AsGeoJSON" if geometry == "geojson" else "ST_AsText"
        return exp.alias_(exp.func(func, f.col(name)), name, quoted=True)
    return f.col(name)


def run_query(reader: Any, dataset: Dataset, query: DatasetQuery, decision: Decision,
              clear: bool = False, geometry: str = "wkt") -> QueryResult:
    """Run ``query``; ``clear`` (the caller holds a ``decrypt`` grant) skips masking."""
    page_sql, count_sql, keys, output = build_sql(dataset, query, decision, geometry)
    table = reader.query(page_sql)
    has_more = table.num_rows > query.limit
    table = table.slice(0, query.limit)
    cursor = None
    if has_more and table.num_rows:
        last = [table.column(f"__k{i}")[table.num_rows - 1].as_py() for i in range(len(keys))]
        cursor = base64.urlsafe_b64encode(json.dumps(last, default=str, ensure_ascii=False).encode()).decode()
    table = table.select(output)
    masked = []
    for name in output:
        column = dataset.column(name)
        if column is not None and column.protected and not clear:
            index = table.column_names.index(name)
            table = table.set_column(index, name, mask(table.column(name).cast(pa.string()), column.policy.mask or "full"))
            masked.append(name)
    total = int(reader.scalar(count_sql)) if query.count else None
    return QueryResult(table, output, masked, cursor, total)

