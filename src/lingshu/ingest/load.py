"""Load one source into its ODS table.

Raw rows (all text) land in a temporary table; one SQL pass types the declared columns with
``TRY_CAST`` and writes each row either to the ODS table or to ``quarantine.<table>`` with every
reason it was rejected. Nothing is lost: rows read = rows loaded + rows quarantined, and the
result says so. The ODS table is swapped in atomically, so a failed load keeps the previous one.
"""

from __future__ import annotations

from dataclasses import dataclass

from lingshu.connectors import CONNECTORS, ReadContext
from lingshu.connectors.base import ROW_NUMBER, SOURCE_FILE, ConnectorError
from lingshu.engines.base import Engine
from lingshu.pack.spec import ColumnSpec, SourceSpec

QUARANTINE_SCHEMA = "quarantine"
REASON = "_reason"


@dataclass
class IngestResult:
    table: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_before: int | None

    @property
    def reconciled(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _problems(col: ColumnSpec) -> list[str]:
    """SQL expressions giving a reason string when ``col`` is wrong in a row, else NULL."""
    ref = _q(col.name)
    blank = f"nullif(trim({ref}), '') IS NULL"
    checks = []
    if col.required:
        checks.append(f"CASE WHEN {blank} THEN {_sql_text(f'{col.name}: 缺少必填值 required value missing')} END")
    if col.type.upper() not in ("VARCHAR", "TEXT", "STRING"):
        message = f"{col.name}: 不是有效的 {col.type} / not a valid {col.type}: "
        checks.append(
            f"CASE WHEN NOT ({blank}) AND TRY_CAST(trim({ref}) AS {col.type}) IS NULL "
            f"THEN {_sql_text(message)} || {ref} END"
        )
    return checks


def typed_select(source: SourceSpec, raw: str, raw_columns: list[str]) -> tuple[str, str]:
    """SQL for the loaded rows and for the quarantined rows of the raw table ``raw``."""
    declared = {c.name: c for c in source.columns}
    checks = [expr for c in source.columns for expr in _problems(c)]
    reason = f"concat_ws('; ', {', '.join(checks)})" if checks else "NULL"
    with_reason = f"SELECT *, nullif({reason}, '') AS {REASON} FROM {raw}"
    out_cols = []
    for name in raw_columns:
        col = declared.get(name)
        if col is None or col.type.upper() in ("VARCHAR", "TEXT", "STRING"):
            out_cols.append(_q(name))
        else:
            out_cols.append(f"TRY_CAST(trim({_q(name)}) AS {col.type}) AS {_q(name)}")
    loaded = f"SELECT {', '.join(out_cols)} FROM ({with_reason}) WHERE {REASON} IS NULL"
    rejected = f"SELECT * FROM ({with_reason}) WHERE {REASON} IS NOT NULL"
    return loaded, rejected


def ingest_source(engine: Engine, source: SourceSpec, ctx: ReadContext, run_id: int) -> IngestResult:
    connector = CONNECTORS.get(source.kind)
    reader = connector.read(source, ctx)
    layer, table = source.target.split(".")
    raw = f"__raw_{table}"
    raw_columns = list(reader.schema.names)
    missing = [c.name for c in source.columns if c.name not in raw_columns]
    if missing:
        present = [c for c in raw_columns if c not in (SOURCE_FILE, ROW_NUMBER)]
        raise ConnectorError(
            f"source {source.name!r} lacks declared column(s) {', '.join(missing)}; it has {', '.join(present)}",
            hint="rename the columns in the file, or fix columns: in pack.yaml (names are case-sensitive)",
        )
    engine.load_temp(raw, reader)
    rows_read = int(engine.scalar(f"SELECT count(*) FROM {raw}"))
    rows_before = engine.row_count(layer, table)
    loaded_sql, rejected_sql = typed_select(source, raw, raw_columns)
    engine.replace_table(layer, table, loaded_sql)
    rows_loaded = engine.row_count(layer, table) or 0
    rows_quarantined = _quarantine(engine, table, rejected_sql, run_id)
    engine.execute(f"DROP TABLE IF EXISTS {raw}")
    return IngestResult(source.target, rows_read, rows_loaded, rows_quarantined, rows_before)


def _quarantine(engine: Engine, table: str, rejected_sql: str, run_id: int) -> int:
    """Append rejected rows, as received plus reason and run, to ``quarantine.<table>``."""
    count = int(engine.scalar(f"SELECT count(*) FROM ({rejected_sql})"))
    if count == 0:
        return 0
    engine.ensure_schema(QUARANTINE_SCHEMA)
    target = f"{QUARANTINE_SCHEMA}.{_q(table)}"
    batch = f"SELECT {run_id} AS _run_id, * FROM ({rejected_sql})"
    if engine.table_exists(QUARANTINE_SCHEMA, table):
        # Sources change shape over time: add new columns, and BY NAME leaves absent ones NULL.
        have = {c.name for c in engine.columns(QUARANTINE_SCHEMA, table)}
        for column in engine.query(f"SELECT * FROM ({batch}) LIMIT 0").schema:
            if column.name not in have:
                engine.execute(f"ALTER TABLE {target} ADD COLUMN {_q(column.name)} VARCHAR")
        engine.execute(f"INSERT INTO {target} BY NAME {batch}")
    else:
        engine.execute(f"CREATE TABLE {target} AS {batch}")
    return count
