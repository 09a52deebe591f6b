"""Measure kinds: how each aggregate splits into re-aggregable components.

A component is an aggregate computed over the model plus the function that combines partial
results (``sum`` of partial counts, ``min`` of partial minima). A measure whose every component
has a combiner is *decomposable*: it can be answered from a coarser materialized table by
re-aggregating components. Only count and sum are *additive*: their final values can themselves
be summed across a dimension; a distinct count, an average or a ratio cannot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lingshu.core.registry import Registry
from lingshu.indicators.spec import Agg, MeasureSpec


@dataclass(frozen=True)
class Component:
    name: str
    sql: str  # aggregate over the model
    combine: str | None  # re-aggregation function over partials, None if impossible


@dataclass(frozen=True)
class MeasureKind:
    components: Callable[[MeasureSpec], list[Component]]
    final: Callable[[MeasureSpec, Callable[[str], str]], str]  # SQL over component columns
    additive: bool


MEASURES: Registry[MeasureKind] = Registry("measure")


def _single(sql: Callable[[MeasureSpec], str], combine: str | None, additive: bool) -> MeasureKind:
    return MeasureKind(
        components=lambda m: [Component("v", sql(m), combine)],
        final=lambda m, col: col("v"),
        additive=additive,
    )


MEASURES.add(Agg.count.value, _single(lambda m: f"count({m.column})" if m.column else "count(*)", "sum", True))
MEASURES.add(Agg.sum.value, _single(lambda m: f"sum({m.column})", "sum", True))
MEASURES.add(Agg.min.value, _single(lambda m: f"min({m.column})", "min", False))
MEASURES.add(Agg.max.value, _single(lambda m: f"max({m.column})", "max", False))
MEASURES.add(Agg.count_distinct.value, _single(lambda m: f"count(DISTINCT {m.column})", None, False))
MEASURES.add(Agg.percentile.value,
             _single(lambda m: f"quantile_cont({m.column}, {m.fraction})", None, False))
MEASURES.add(Agg.expr.value, _single(lambda m: f"({m.sql})", None, False))
MEASURES.add(Agg.avg.value, MeasureKind(
    components=lambda m: [Component("s", f"sum({m.column})", "sum"), Component("n", f"count({m.column})", "sum")],
    final=lambda m, col: f"{col('s')} / nullif({col('n')}, 0)",
    additive=False,
))
