"""Quality results in the state store: write a table's check, read history for trends and reports.

Plain SQLAlchemy Core over ``quality_runs`` / ``quality_results`` (migration 0005), so the same
code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from lingshu.govern.quality.outcome import TableQuality
from lingshu.state.schema import quality_results, quality_runs
from lingshu.state.store import StateStore


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def save(store: StateStore, tq: TableQuality) -> int:
    """Store one table's check and its per-rule results; returns the quality_runs id."""
    with store.engine.begin() as c:
        qid = int(c.execute(quality_runs.insert().values(
            run_id=tq.run_id, pack=tq.pack, table_name=tq.table, row_count=tq.rows, status=tq.status,
            score=tq.score, dimension_scores=_json(tq.dimension_scores),
            started_at=tq.started_at, ended_at=tq.ended_at,
        )).inserted_primary_key[0])
        if tq.results:
            c.execute(quality_results.insert(), [{
                "quality_run_id": qid, "table_name": r.table, "rule_id": r.rule_id, "kind": r.kind,
                "dimension": r.dimension.value, "severity": r.severity.value, "checked": r.checked,
                "failed": r.failed, "ratio": r.ratio, "status": r.status,
                "sample": _json(r.sample) if r.sample else None,
                "detail": _json(r.detail) if r.detail else None, "error": r.error,
            } for r in tq.results])
    tq.id = qid
    return qid


def previous_rows(store: StateStore, table: str) -> int | None:
    """The row count at the table's latest stored check (for row_count_change)."""
    query = (sa.select(quality_runs.c.row_count).where(quality_runs.c.table_name == table,
                                                       quality_runs.c.row_count.is_not(None))
             .order_by(quality_runs.c.id.desc()).limit(1))
    with store.engine.connect() as c:
        value = c.execute(query).scalar()
    return None if value is None else int(value)


def history(store: StateStore, table: str, limit: int = 20) -> list[dict[str, Any]]:
    """The table's latest checks, oldest first (for trend lines)."""
    query = (sa.select(quality_runs).where(quality_runs.c.table_name == table)
             .order_by(quality_runs.c.id.desc()).limit(limit))
    with store.engine.connect() as c:
        rows = [dict(r._mapping) for r in c.execute(query)]
    for row in rows:
        row["dimension_scores"] = json.loads(row["dimension_scores"] or "{}")
    return rows[::-1]


def results_of(store: StateStore, quality_run_id: int) -> list[dict[str, Any]]:
    query = (sa.select(quality_results).where(quality_results.c.quality_run_id == quality_run_id)
             .order_by(quality_results.c.id))
    with store.engine.connect() as c:
        rows = [dict(r._mapping) for r in c.execute(query)]
    for row in rows:
        row["sample"] = json.loads(row["sample"]) if row["sample"] else []
        row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
    return rows


def rule_history(store: StateStore, table: str, rule_id: str, limit: int = 20) -> list[float]:
    """Failed ratios of one rule over its latest checks, oldest first."""
    query = (sa.select(quality_results.c.ratio).where(quality_results.c.table_name == table,
                                                      quality_results.c.rule_id == rule_id)
             .order_by(quality_results.c.id.desc()).limit(limit))
    with store.engine.connect() as c:
        return [float(v) for v in c.execute(query).scalars()][::-1]
