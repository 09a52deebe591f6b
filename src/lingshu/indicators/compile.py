"""Compile indicator queries to SQL (DuckDB dialect).

Every indicator compiles to a *frame*: a query with one column per requested dimension, a
``period`` column when a grain is asked for, and an unrounded ``value`` (rounding happens once,
in ``presented``, so a derived indicator never divides rounded inputs). Base indicators aggregate their model
(or re-aggregate a materialized table); derived ones join their inputs' frames on the keys and
combine the values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp

from lingshu.indicators.errors import IndicatorError
from lingshu.indicators.measures import MEASURES, Component
from lingshu.indicators.spec import Agg, Grain, IndicatorQuery, IndicatorSpec, MaterializationSpec

PERIOD = "period"
GRAIN_ORDER = [Grain.min15, Grain.hour, Grain.day, Grain.week, Grain.month, Grain.quarter, Grain.year]


def period_sql(grain: Grain, column: str) -> str:
    if grain is Grain.min15:
        return f"time_bucket(INTERVAL 15 MINUTE, CAST({column} AS TIMESTAMP))"
    return f"CAST(date_trunc('{grain.value}', {column}) AS TIMESTAMP)"


def grain_derivable(fine: Grain, coarse: Grain) -> bool:
    """Can ``coarse`` periods be built by truncating ``fine`` periods? (weeks don't nest in months)"""
    if fine == coarse:
        return True
    if GRAIN_ORDER.index(fine) > GRAIN_ORDER.index(coarse):
        return False
    return not (fine is Grain.week and coarse is not Grain.week)


def literal(value: Any) -> str:
    """A safe SQL literal for a filter value (built by SQLGlot, never by string pasting)."""
    if isinstance(value, bool):
        node: exp.Expression = exp.Boolean(this=value)
    elif isinstance(value, int | float):
        node = exp.Literal.number(value)
    elif isinstance(value, dt.datetime):
        node = exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP")
    elif isinstance(value, dt.date):
        node = exp.cast(exp.Literal.string(value.isoformat()), "TIMESTAMP")
    elif value is None:
        node = exp.Null()
    else:
        node = exp.Literal.string(str(value))
    return node.sql(dialect="duckdb")


def components(spec: IndicatorSpec) -> list[Component]:
    return MEASURES.get(spec.measure.agg.value).components(spec.measure)


def decomposable(spec: IndicatorSpec) -> bool:
    return all(c.combine for c in components(spec))


def final_sql(spec: IndicatorSpec, col: Callable[[str], str]) -> str:
    return MEASURES.get(spec.measure.agg.value).final(spec.measure, col)


def component_column(indicator: str, component: str) -> str:
    return f"{indicator}__{component}"


@dataclass
class Plan:
    sql: str
    source: str  # "model:dwd.x" or "materialized:dws.y" or "derived"
    inputs: list[Plan] = field(default_factory=list)


def check_query(spec: IndicatorSpec, query: IndicatorQuery) -> None:
    for name in [*query.dimensions, *query.filters]:
        if spec.dimension(name) is None:
            allowed = ", ".join(d.name for d in spec.dims) or "(none)"
            raise IndicatorError(f"indicator {spec.id} ({spec.name}) has no dimension {name!r}",
                                 hint=f"allowed dimensions: {allowed}")
    if query.grain or query.start or query.end:
        if spec.time is None:
            raise IndicatorError(f"indicator {spec.id} ({spec.name}) has no time column",
                                 hint="query it without grain and time range, or declare time: in indicators.yaml")
        if query.grain and query.grain not in spec.time.grains:
            raise IndicatorError(f"indicator {spec.id} does not allow grain {query.grain.value}",
                                 hint=f"allowed grains: {', '.join(g.value for g in spec.time.grains)}")


def _where(spec: IndicatorSpec, query: IndicatorQuery, dim_sql: Callable[[str], str],
           time_sql: str | None) -> str:
    conditions = [f"({f})" for f in spec.filters]
    for name, value in query.filters.items():
        column = dim_sql(name)
        if isinstance(value, list | tuple | set):
            conditions.append(f"{column} IN ({', '.join(literal(v) for v in value)})")
        else:
            conditions.append(f"{column} = {literal(value)}")
    if time_sql is not None:
        if query.start is not None:
            conditions.append(f"{time_sql} >= {literal(query.start)}")
        if query.end is not None:
            conditions.append(f"{time_sql} < {literal(query.end)}")
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""


def base_from_model(spec: IndicatorSpec, query: IndicatorQuery, *, keep_components: bool = False) -> str:
    """Aggregate the model directly: always correct, whatever the measure."""
    keys = [f"{spec.dimension(d).sql} AS {d}" for d in query.dimensions]  # type: ignore[union-attr]
    if query.grain:
        keys.append(f"{period_sql(query.grain, spec.time.column)} AS {PERIOD}")  # type: ignore[union-attr]
    comps = components(spec)
    aggs = [f"{c.sql} AS {component_column(spec.id, c.name)}" for c in comps]
    time_col = spec.time.column if spec.time else None
    where = _where(spec, query, lambda d: spec.dimension(d).sql, time_col)  # type: ignore[union-attr]
    group = "GROUP BY ALL" if keys else ""
    inner = f"SELECT {', '.join([*keys, *aggs])} FROM {spec.model} {where} {group}".strip()
    if keep_components:
        return inner
    return _finish(spec, query, inner)


def _finish(spec: IndicatorSpec, query: IndicatorQuery, inner: str) -> str:
    keys = [*query.dimensions, *([PERIOD] if query.grain else [])]
    value = final_sql(spec, lambda c: component_column(spec.id, c))
    return f"SELECT {', '.join([*keys, f'CAST({value} AS DOUBLE) AS value'])} FROM ({inner})"


def base_from_materialized(spec: IndicatorSpec, query: IndicatorQuery, table: str,
                           mat: MaterializationSpec) -> str:
    """Re-aggregate a materialized table's components (only called when that is correct)."""
    exact = sorted(query.dimensions) == sorted(mat.dimensions) and query.grain == mat.grain
    keys = list(query.dimensions)
    if query.grain:
        keys.append(f"{period_sql(query.grain, PERIOD)} AS {PERIOD}" if query.grain != mat.grain else PERIOD)
    comps = components(spec)
    if exact:
        cols = [component_column(spec.id, c.name) for c in comps]
        select = [*query.dimensions, *([PERIOD] if query.grain else []), *cols]
        where = _where(spec.model_copy(update={"filters": []}), query, lambda d: d,
                       PERIOD if mat.grain else None)
        inner = f"SELECT {', '.join(select)} FROM {table} {where}".strip()
    else:
        aggs = [f"{c.combine}({component_column(spec.id, c.name)}) AS {component_column(spec.id, c.name)}"
                for c in comps]
        where = _where(spec.model_copy(update={"filters": []}), query, lambda d: d,
                       PERIOD if mat.grain else None)
        group = "GROUP BY ALL" if keys else ""
        inner = f"SELECT {', '.join([*keys, *aggs])} FROM {table} {where} {group}".strip()
    return _finish(spec, query, inner)


def can_answer(spec: IndicatorSpec, query: IndicatorQuery, mat: MaterializationSpec) -> bool:
    if spec.id not in mat.indicators:
        return False
    needed = set(query.dimensions) | set(query.filters)
    if not needed <= set(mat.dimensions):
        return False
    if query.grain and (mat.grain is None or not grain_derivable(mat.grain, query.grain)):
        return False
    if (query.start or query.end) and mat.grain is None:
        return False
    exact = sorted(query.dimensions) == sorted(mat.dimensions) and query.grain == mat.grain
    return exact or decomposable(spec)


def materialization_sql(specs: list[IndicatorSpec], mat: MaterializationSpec) -> str:
    """One GROUP BY over the shared model producing every indicator's components."""
    models = {s.model for s in specs}
    if len(models) != 1:
        raise IndicatorError(f"materialization {mat.name} mixes models {', '.join(sorted(m or '?' for m in models))}",
                             hint="materialize indicators of one model together; split it in two")
    first = specs[0]
    query = IndicatorQuery(indicator=first.id, dimensions=mat.dimensions, grain=mat.grain)
    for spec in specs:
        if spec.filters != first.filters:
            raise IndicatorError(f"materialization {mat.name}: {spec.id} and {first.id} have different filters",
                                 hint="materialize indicators with different definition filters separately")
        check_query(spec, query)
    keys = [f"{first.dimension(d).sql} AS {d}" for d in mat.dimensions]  # type: ignore[union-attr]
    if mat.grain:
        keys.append(f"{period_sql(mat.grain, first.time.column)} AS {PERIOD}")  # type: ignore[union-attr]
    aggs = [f"{c.sql} AS {component_column(s.id, c.name)}" for s in specs for c in components(s)]
    where = f"WHERE {' AND '.join(f'({f})' for f in first.filters)}" if first.filters else ""
    group = "GROUP BY ALL" if keys else ""
    return f"SELECT {', '.join([*keys, *aggs])}\nFROM {first.model}\n{where}\n{group}".strip()


def derived_sql(spec: IndicatorSpec, query: IndicatorQuery, frames: dict[str, str]) -> str:
    """Join the input frames on the keys and combine their values."""
    keys = [*query.dimensions, *([PERIOD] if query.grain else [])]
    names = list(frames)
    first = names[0]
    joins = "".join(
        f" FULL JOIN ({frames[n]}) AS {n} USING ({', '.join(keys)})" if keys else f" CROSS JOIN ({frames[n]}) AS {n}"
        for n in names[1:])
    if spec.measure.agg is Agg.ratio:
        value = f"{names[0]}.value / nullif({names[1]}.value, 0) * {spec.measure.scale}"
    else:
        value = _formula(spec)
    return f"SELECT {', '.join([*keys, f'{value} AS value'])} FROM ({frames[first]}) AS {first}{joins}"


def presented(spec: IndicatorSpec, query: IndicatorQuery, frame: str) -> str:
    """The outermost query: rounded to the indicator's precision (inputs never are), ordered."""
    keys = [*query.dimensions, *([PERIOD] if query.grain else [])]
    order = f" ORDER BY {', '.join(keys)}" if keys else ""
    return f"SELECT * REPLACE (round(value, {spec.precision}) AS value) FROM ({frame}){order}"


def _formula(spec: IndicatorSpec) -> str:
    """Rewrite the formula's input names to ``name.value`` through SQLGlot (no string pasting)."""
    try:
        tree = sqlglot.parse_one(spec.measure.formula or "", read="duckdb")
    except sqlglot.ParseError as exc:
        raise IndicatorError(f"indicator {spec.id}: formula does not parse: {exc}",
                             hint="write arithmetic over the input names, e.g. a / b * 100") from None
    for column in list(tree.find_all(exp.Column)):
        if column.name not in spec.measure.inputs:
            raise IndicatorError(f"indicator {spec.id}: formula uses {column.name!r}, which is not an input",
                                 hint=f"inputs are: {', '.join(spec.measure.inputs)}")
        column.replace(exp.column("value", table=column.name))
    return tree.sql(dialect="duckdb")


def disclosure_sql(spec: IndicatorSpec, query: IndicatorQuery) -> str:
    """Per cell: contributors, and for sums the total and the two largest contributions."""
    assert spec.disclosure is not None and spec.model is not None
    keys = [f"{spec.dimension(d).sql} AS {d}" for d in query.dimensions]  # type: ignore[union-attr]
    if query.grain:
        keys.append(f"{period_sql(query.grain, spec.time.column)} AS {PERIOD}")  # type: ignore[union-attr]
    names = [*query.dimensions, *([PERIOD] if query.grain else [])]
    time_col = spec.time.column if spec.time else None
    where = _where(spec, query, lambda d: spec.dimension(d).sql, time_col)  # type: ignore[union-attr]
    who = spec.disclosure.contributor
    magnitude = spec.measure.agg in (Agg.sum,) and who is not None
    contribution = f"sum({spec.measure.column})" if magnitude else "count(*)"
    inner_keys = [*keys, f"{who} AS __who" if who else "NULL AS __who"]
    inner = f"SELECT {', '.join(inner_keys)}, {contribution} AS __c FROM {spec.model} {where} GROUP BY ALL"
    n = "count(DISTINCT __who)" if who else "sum(__c)"
    stats = [f"{n} AS n"]
    if magnitude:
        stats += ["sum(__c) AS total", "max(__c) AS x1", "list_sort(list(__c), 'DESC')[2] AS x2"]
    group = "GROUP BY ALL" if names else ""
    return f"SELECT {', '.join([*names, *stats])} FROM ({inner}) {group}".strip()
