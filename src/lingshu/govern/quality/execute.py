"""Run a compiled table plan on an engine: the one scan, the separate queries, then samples.

A rule whose SQL fails (a column missing, a referenced table not built) becomes an ``error``
result with the engine's message; it never stops the other rules. If the batched scan fails,
each batched rule is retried alone so only the broken one is marked.
"""

from __future__ import annotations

from typing import Any

from lingshu.core.errors import LingshuError
from lingshu.engines.base import Engine
from lingshu.govern.quality.compile import ROWS, CompiledRule, TablePlan
from lingshu.govern.quality.outcome import ERROR, RuleResult
from lingshu.govern.quality.registry import AggCheck, HistoryCheck, QueryCheck
from lingshu.govern.quality.samples import safe_rows


def _result(plan: TablePlan, c: CompiledRule, **kw: Any) -> RuleResult:
    r = c.rule
    assert r.id is not None and r.dimension is not None
    sql = c.check.sql if isinstance(c.check, QueryCheck) else c.offending
    return RuleResult(plan.table, r.id, r.kind, r.dimension, r.severity, tolerance=r.tolerance,
                      description=r.description, sql=sql, **kw)


def run_plan(engine: Engine, plan: TablePlan, *, previous_rows: int | None = None,
             sample_size: int = 5, masks: dict[str, str] | None = None) -> tuple[int | None, list[RuleResult]]:
    """Returns the table's row count (None if it does not exist) and one result per rule, in order."""
    layer, name = plan.table.split(".")
    if not engine.table_exists(layer, name):
        msg = f"{plan.table} has not been built; run its pack first"
        return None, [_result(plan, c, status=ERROR, error=msg) for c in plan.rules]
    types = {col.name: col.type for col in engine.columns(layer, name)}
    existing = set(types)
    results: dict[int, RuleResult] = {}
    runnable = []
    for c in plan.rules:
        missing = [col for col in c.rule.columns_used() if col not in existing]
        if missing:
            results[c.index] = _result(plan, c, status=ERROR,
                                       error=f"{plan.table} has no column {', '.join(missing)} "
                                             f"(columns: {', '.join(sorted(existing))})")
        else:
            runnable.append(c)
    plan = TablePlan(plan.table, runnable).typed(types)
    rows = _scan(engine, plan, results)
    for c in plan.queries():
        assert isinstance(c.check, QueryCheck)
        try:
            row = engine.query(c.check.sql).to_pylist()[0]
            results[c.index] = _result(plan, c, checked=int(row["checked"]), failed=int(row["failed"]))
        except LingshuError as exc:
            results[c.index] = _result(plan, c, status=ERROR, error=str(exc))
    for c in plan.history():
        assert isinstance(c.check, HistoryCheck)
        checked, failed, detail = c.check.evaluate(rows, previous_rows)
        results[c.index] = _result(plan, c, checked=checked, failed=failed, detail=detail)
    ordered = [results[i] for i in sorted(results)]
    for r in ordered:
        r.settle()
    if sample_size:
        _samples(engine, plan, results, sample_size, masks or {})
    return rows, ordered


def _scan(engine: Engine, plan: TablePlan, results: dict[int, RuleResult]) -> int:
    try:
        values = engine.query(plan.scan_sql).to_pylist()[0]
    except LingshuError as exc:
        if len(plan.batched()) > 1:  # find the broken rule(s): each batched rule alone
            for c in plan.batched():
                _scan(engine, TablePlan(plan.table, [c]), results)
        else:
            for c in plan.batched():
                results[c.index] = _result(plan, c, status=ERROR, error=str(exc))
        return int(engine.scalar(f"SELECT count(*) FROM {plan.quoted}"))
    for c in plan.batched():
        extras = c.check.extras if isinstance(c.check, AggCheck) else {}
        detail = {k: values[f"{c.alias}_x_{k}"] for k in extras}
        results[c.index] = _result(plan, c, checked=int(values[f"{c.alias}_checked"] or 0),
                                   failed=int(values[f"{c.alias}_failed"] or 0), detail=detail)
    return int(values[ROWS])


def _samples(engine: Engine, plan: TablePlan, results: dict[int, RuleResult], limit: int,
             masks: dict[str, str]) -> None:
    """Up to ``limit`` masked offending rows per failed rule: one query for all table-row samples."""
    failing = [c for c in plan.rules if results[c.index].failed and c.offending]
    shared = [c for c in failing if c.table_rows]
    alone = [c for c in failing if not c.table_rows]
    if shared:
        try:
            table = engine.query(plan.sample_sql(shared, limit))
        except LingshuError:
            alone.extend(shared)  # one bad query should cost one rule its sample, not all
        else:
            tags = table.column("__rule").to_pylist()
            for tag, row in zip(tags, safe_rows(table.drop_columns(["__rule"]), masks), strict=True):
                results[tag].sample.append(row)
    for c in alone:
        try:
            table = engine.query(f"SELECT * FROM ({c.offending}) AS s LIMIT {limit}")
            results[c.index].sample = safe_rows(table, masks)
        except LingshuError as exc:
            results[c.index].detail["sample_error"] = str(exc)
