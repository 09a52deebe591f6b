"""Incremental models: merge only new rows into an existing table, counting what changed.

Two strategies, chosen by what the model declares:

- ``partition_by: <column>``: the batch is the model's rows whose partition is at or after the
  latest partition already in the table (the latest one is redone because it may have been
  loaded while still filling); those partitions are deleted and the batch inserted.
- ``unique_key`` (merge): the batch is the model's rows, or with ``watermark: <column>`` only the
  rows later than the table's latest; target rows with a batch key are deleted and the batch
  inserted (delete+insert, the same statements on every DuckDB version). Rows absent from the
  batch are kept: a merge never deletes.

The batch is built into a side table first; the counts come from comparing it with the
rows it replaces, and the delete and insert run in one transaction, so a failure leaves the
table as it was. A changed column list is refused: that needs a full refresh.
"""

from __future__ import annotations

import uuid

from lingshu.core.errors import EngineError, ModelError
from lingshu.engines.base import Engine
from lingshu.models.sql import SqlModel
from lingshu.state.store import TableUpdate


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def merge_incremental(engine: Engine, model: SqlModel, update: TableUpdate) -> None:
    spec = model.spec
    assert spec is not None
    target = f"{_q(model.layer)}.{_q(model.table)}"
    update.rows_before = engine.row_count(model.layer, model.table)
    # A side table beside the target (like the full path's swap), dropped at the end.
    batch_name = f"__batch_{model.table}_{uuid.uuid4().hex[:8]}"
    batch = f"{_q(model.layer)}.{_q(batch_name)}"
    column = spec.partition_by or spec.watermark
    sql = model.build_sql
    if column:
        op = ">=" if spec.partition_by else ">"
        latest = f"(SELECT max({_q(column)}) FROM {target})"
        sql = f"SELECT * FROM ({model.build_sql}) AS __src WHERE {latest} IS NULL OR {_q(column)} {op} {latest}"
    engine.execute(f"CREATE TABLE {batch} AS {sql}")
    try:
        _check_shape(engine, model, batch_name)
        key = spec.unique_key
        if spec.partition_by:
            part = _q(spec.partition_by)
            replaced = f"(SELECT * FROM {target} WHERE {part} IN (SELECT DISTINCT {part} FROM {batch}))"
            delete = f"DELETE FROM {target} WHERE {part} IN (SELECT DISTINCT {part} FROM {batch})"
        else:
            match = " AND ".join(f"b.{_q(k)} IS NOT DISTINCT FROM {target}.{_q(k)}" for k in key)
            replaced = f"(SELECT * FROM {target} t WHERE EXISTS (SELECT 1 FROM {batch} b WHERE "
            replaced += " AND ".join(f"b.{_q(k)} IS NOT DISTINCT FROM t.{_q(k)}" for k in key) + "))"
            delete = f"DELETE FROM {target} WHERE EXISTS (SELECT 1 FROM {batch} b WHERE {match})"
        if key:
            _check_unique(engine, model, batch, key)
            update.rows_inserted, update.rows_updated, update.rows_deleted = _counts(
                engine, batch, replaced, key, [c.name for c in engine.columns(model.layer, batch_name)])
        else:  # partitions without a key: the old partition rows go, the new ones come
            update.rows_deleted = int(engine.scalar(f"SELECT count(*) FROM {replaced}"))
            update.rows_inserted, update.rows_updated = int(engine.scalar(f"SELECT count(*) FROM {batch}")), 0
        try:
            engine.execute(f"BEGIN TRANSACTION; {delete}; INSERT INTO {target} SELECT * FROM {batch}; COMMIT")
        except EngineError:
            engine.execute("ROLLBACK")
            raise
        update.rows_after = engine.row_count(model.layer, model.table)
    finally:
        engine.execute(f"DROP TABLE IF EXISTS {batch}")


def _check_shape(engine: Engine, model: SqlModel, batch_name: str) -> None:
    new = [(c.name, c.type) for c in engine.columns(model.layer, batch_name)]
    old = [(c.name, c.type) for c in engine.columns(model.layer, model.table)]
    if [n for n, _ in new] != [n for n, _ in old]:
        raise ModelError(f"{model.name}: the SQL's columns changed, so new rows cannot be merged into the table",
                         where=str(model.path),
                         hint="rebuild it once with a full refresh (run_pack(..., full_refresh=True)) or drop the table")


def _check_unique(engine: Engine, model: SqlModel, batch: str, key: list[str]) -> None:
    cols = ", ".join(_q(k) for k in key)
    dupes = int(engine.scalar(f"SELECT count(*) FROM (SELECT {cols} FROM {batch} GROUP BY ALL HAVING count(*) > 1)"))
    if dupes:
        raise ModelError(f"{model.name}: unique_key ({cols}) has {dupes} duplicated value(s) among the new rows",
                         where=str(model.path), hint="deduplicate in the SQL or fix unique_key")


def _counts(engine: Engine, batch: str, replaced: str, key: list[str], cols: list[str]) -> tuple[int, int, int]:
    """Inserted, updated, deleted between the rows being replaced and the batch, by key."""
    values = [c for c in cols if c not in key]
    changed = (f"row({', '.join(f'n.{_q(c)}' for c in values)}) IS DISTINCT FROM "
               f"row({', '.join(f'o.{_q(c)}' for c in values)})") if values else "false"
    row = engine.query(f"""
        SELECT count(*) FILTER (WHERE o.__o IS NULL) AS inserted,
               count(*) FILTER (WHERE n.__n AND o.__o AND {changed}) AS updated,
               count(*) FILTER (WHERE n.__n IS NULL) AS deleted
        FROM (SELECT *, true AS __n FROM {batch}) n
        FULL JOIN (SELECT *, true AS __o FROM {replaced}) o USING ({', '.join(_q(k) for k in key)})""").to_pylist()[0]
    return row["inserted"], row["updated"], row["deleted"]
