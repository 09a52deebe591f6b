"""Materialize one model atomically and count what changed.

With a declared ``unique_key`` the old and new versions are compared before the swap, so the
update log gets exact inserted / updated / deleted counts; without one only the totals are known.
Models declared ``materialized: incremental`` are merged instead once their table exists.
"""

from __future__ import annotations

from lingshu.core.errors import ModelError
from lingshu.engines.base import Engine
from lingshu.models.sql import SqlModel
from lingshu.state.store import TableUpdate


def _quoted(table: str) -> str:
    schema, name = table.split(".")
    return f'"{schema}"."{name}"'


def materialize(engine: Engine, model: SqlModel, update: TableUpdate, *, full_refresh: bool = False) -> None:
    old = _quoted(model.name)
    existed = engine.table_exists(model.layer, model.table)
    if existed and not full_refresh and model.spec is not None and model.spec.materialized == "incremental":
        # Only new rows are merged in (models/incremental.py); the first build and a full
        # refresh take the atomic full path below.
        from lingshu.models.incremental import merge_incremental

        merge_incremental(engine, model, update)
        return
    update.rows_before = engine.row_count(model.layer, model.table)
    key = ", ".join(f'"{k}"' for k in model.unique_key)

    def inspect(side: str) -> None:
        update.rows_after = int(engine.scalar(f"SELECT count(*) FROM {side}"))
        if key:
            dupes = int(engine.scalar(
                f"SELECT count(*) FROM (SELECT {key} FROM {side} GROUP BY ALL HAVING count(*) > 1)"))
            if dupes:
                raise ModelError(f"{model.name}: unique_key ({key}) has {dupes} duplicated value(s)",
                                 where=str(model.path), hint="deduplicate in the SQL or fix unique_key")
        if not existed:
            update.rows_inserted, update.rows_updated, update.rows_deleted = update.rows_after, 0, 0
        elif key:
            update.rows_inserted, update.rows_updated, update.rows_deleted = _diff(engine, side, old, model)

    engine.replace_table(model.layer, model.table, model.build_sql, inspect)


def _diff(engine: Engine, side: str, old: str, model: SqlModel) -> tuple[int, int, int]:
    # Ciphertexts differ on every build (fresh nonces): compare their deterministic tokens instead.
    return count_changes(engine, side, model.name, model.unique_key, skip=model.encrypted)


def count_changes(engine: Engine, side: str, table: str, key: list[str],
                  skip: set[str] | frozenset[str] = frozenset()) -> tuple[int, int, int]:
    """Inserted, updated, deleted rows between ``table`` and the built side table, by ``key``.

    Shared by models and Python steps; columns in ``skip`` are not compared.
    """
    layer, name = table.split(".")
    schema, side_name = side.replace('"', "").split(".")
    new_cols = [c.name for c in engine.columns(schema, side_name)]
    old_cols = {c.name for c in engine.columns(layer, name)}
    keys = ", ".join(_col(k) for k in key)
    values = [c for c in new_cols if c not in key and c not in skip]
    if set(new_cols) != old_cols:
        changed = "true"  # the shape changed: every surviving row counts as updated
    elif values:
        # Row values compare NULL-safely as structs.
        changed = (f"row({', '.join(f'n.{_col(c)}' for c in values)}) IS DISTINCT FROM "
                   f"row({', '.join(f'o.{_col(c)}' for c in values)})")
    else:
        changed = "false"
    row = engine.query(f"""
        SELECT count(*) FILTER (WHERE o.__o IS NULL) AS inserted,
               count(*) FILTER (WHERE n.__n AND o.__o AND {changed}) AS updated,
               count(*) FILTER (WHERE n.__n IS NULL) AS deleted
        FROM (SELECT *, true AS __n FROM {side}) n
        FULL JOIN (SELECT *, true AS __o FROM {_col(layer)}.{_col(name)}) o USING ({keys})""").to_pylist()[0]
    return row["inserted"], row["updated"], row["deleted"]


def _col(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
