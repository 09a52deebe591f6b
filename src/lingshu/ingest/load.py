"""Load one source into its ODS table.

Raw rows (all text) land in a temporary table; one SQL pass types the declared columns with
``TRY_CAST`` and writes each row either to the ODS table or to ``quarantine.<table>`` with every
reason it was rejected (a row the connector could not parse carries its ``_parse_error`` and raw
text). Nothing is lost: rows read = rows loaded + rows quarantined, and the result says so. The
ODS table is swapped in atomically, so a failed load keeps the previous one. Incremental sources
(``ingest.incremental``) append the new rows instead of replacing the table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from types import SimpleNamespace

import pyarrow as pa

from lingshu.connectors import CONNECTORS, ReadContext
from lingshu.connectors.base import PARSE_ERROR, RAW, SOURCE_FILE, ConnectorError
from lingshu.core.errors import LingshuError
from lingshu.engines.base import Engine
from lingshu.ingest import incremental
from lingshu.pack.spec import ColumnSpec, SourceSpec
from lingshu.security.vault import seal_sql
from lingshu.state.store import StateStore

QUARANTINE_SCHEMA = "quarantine"
REASON = "_reason"
TEXT_TYPES = ("VARCHAR", "TEXT", "STRING")


@dataclass
class IngestResult:
    table: str
    rows_read: int
    rows_loaded: int  # rows written to ODS by this run
    rows_quarantined: int
    rows_before: int | None
    rows_after: int | None = None  # rows in the ODS table afterwards (differs when appending)
    appended: bool = False

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
    if col.type.upper() not in TEXT_TYPES:
        message = f"{col.name}: 不是有效的 {col.type} / not a valid {col.type}: "
        checks.append(
            f"CASE WHEN NOT ({blank}) AND TRY_CAST(trim({ref}) AS {col.type}) IS NULL "
            f"THEN {_sql_text(message)} || {ref} END"
        )
    return checks


def _typed(name: str, declared: dict[str, ColumnSpec]) -> str:
    col = declared.get(name)
    if col is None or col.type.upper() in TEXT_TYPES:
        return _q(name)
    return f"TRY_CAST(trim({_q(name)}) AS {col.type})"


def reason_sql(source: SourceSpec, raw_columns: list[str]) -> str:
    """The expression giving each raw row's reasons for rejection (NULL: the row is fine)."""
    checks = [expr for c in source.columns for expr in _problems(c)]
    reason = f"concat_ws('; ', {', '.join(checks)})" if checks else "NULL"
    if PARSE_ERROR in raw_columns:
        # A row that could not be parsed has no values to check: its parse error is the reason.
        reason = f"coalesce({_q(PARSE_ERROR)}, {reason})"
    return f"nullif({reason}, '')"


def typed_select(source: SourceSpec, raw: str, raw_columns: list[str], checked: str | None = None) -> tuple[str, str]:
    """SQL for the loaded rows and for the quarantined rows of the raw table ``raw``.

    ``checked`` names a table holding ``raw`` plus its ``_reason`` already computed (ingest
    computes the reasons once and reads them three times).
    """
    declared = {c.name: c for c in source.columns}
    with_reason = (f"SELECT * FROM {checked}" if checked
                   else f"SELECT *, {reason_sql(source, raw_columns)} AS {REASON} FROM {raw}")
    out_cols = [f"{_typed(n, declared)} AS {_q(n)}" for n in raw_columns if n not in (PARSE_ERROR, RAW)]
    loaded = f"SELECT {', '.join(out_cols)} FROM ({with_reason}) WHERE {REASON} IS NULL"
    rejected = f"SELECT * FROM ({with_reason}) WHERE {REASON} IS NOT NULL"
    derived = [f"{expr} AS {_q(name)}" for c in source.columns for name, expr in c.derive.items()]
    if derived:
        # Facts needed downstream (validity, birth date...) are taken while the value is still clear.
        loaded = f"SELECT *, {', '.join(derived)} FROM ({loaded})"
    sealed = [c for c in source.columns if c.encrypt and c.name in raw_columns]
    if sealed:
        loaded = seal_sql(loaded, source.target, sealed)
        # Quarantine keeps rows as received: their sealed columns and raw line are sealed too.
        raw_text = [SimpleNamespace(name=RAW, encrypt=True, token="text")] if RAW in raw_columns else []
        rejected = seal_sql(rejected, f"{QUARANTINE_SCHEMA}.{source.target.split('.')[1]}", [*sealed, *raw_text])
    return loaded, rejected


class _Guarded:
    """Wraps a connector's lazy reader so an error raised mid-stream keeps its own message.

    The engine pulls batches inside its own C++ code; what surfaces there is a generic engine
    error. We remember the connector's exception and raise that instead.
    """

    def __init__(self, source: SourceSpec, reader: pa.RecordBatchReader):
        self.source = source
        self.reader = reader
        self.error: BaseException | None = None

    def _batches(self) -> Iterator[pa.RecordBatch]:
        try:
            yield from self.reader
        except BaseException as exc:
            self.error = exc
            raise

    def wrapped(self) -> pa.RecordBatchReader:
        return pa.RecordBatchReader.from_batches(self.reader.schema, self._batches())

    def reraise(self) -> None:
        exc = self.error
        if exc is None:
            return
        if isinstance(exc, LingshuError):
            raise exc
        if isinstance(exc, Exception):
            # Malformed input that a parser library chokes on is the user's problem to fix, and
            # they deserve a message, not a traceback (--debug still shows the chain).
            raise ConnectorError(f"source {self.source.name!r}: reading failed: {type(exc).__name__}: {exc}",
                                 hint="check that the file or service returns what the source's kind expects") from exc
        raise exc


def _rename_titles(engine: Engine, source: SourceSpec, raw: str, columns: list[str]) -> list[str]:
    """Columns named by their Chinese title in the file take their declared name."""
    by_title = {c.title: c.name for c in source.columns if c.title}
    renamed = []
    for name in columns:
        target = by_title.get(name)
        if target and target not in columns:
            engine.execute(f"ALTER TABLE {raw} RENAME COLUMN {_q(name)} TO {_q(target)}")
            name = target
        renamed.append(name)
    return renamed


def ingest_source(engine: Engine, source: SourceSpec, ctx: ReadContext, run_id: int, *,
                  store: StateStore | None = None, full_refresh: bool = False) -> IngestResult:
    plan = incremental.plan(store, source, full_refresh)
    connector = CONNECTORS.get(source.kind)
    reader = connector.read(source, replace(ctx, since=plan.since, skip_files=plan.skip_files))
    layer, table = source.target.split(".")
    raw = _q(f"__raw_{table}")
    guard = _Guarded(source, reader)
    try:
        engine.load_temp(f"__raw_{table}", guard.wrapped())
    except Exception:
        guard.reraise()
        raise
    raw_columns = _rename_titles(engine, source, raw, list(reader.schema.names))
    rows_before = engine.row_count(layer, table)
    if plan.since is not None:
        # Pushed down by connectors that can; applied here for all, so every kind behaves alike.
        col, typ = _declared_name(source, plan.since.column), plan.since.type
        engine.execute(f"DELETE FROM {raw} WHERE NOT coalesce(TRY_CAST(trim({_q(col)}) AS {typ}) "
                       f"> TRY_CAST(? AS {typ}), false)", [plan.since.value])
    rows_read = int(engine.scalar(f"SELECT count(*) FROM {raw}"))
    if plan.append and rows_read == 0:
        # Nothing new (maybe no new files at all, so not even columns): the table stays as it is.
        engine.execute(f"DROP TABLE IF EXISTS {raw}")
        incremental.commit(store, source, plan, run_id=run_id, new_max=None, files=[])
        return IngestResult(source.target, 0, 0, 0, rows_before, rows_before, appended=True)
    missing = [c.name for c in source.columns if c.name not in raw_columns]
    if missing:
        present = [c for c in raw_columns if not c.startswith("_")]
        raise ConnectorError(
            f"source {source.name!r} lacks declared column(s) {', '.join(missing)}; it has {', '.join(present)}",
            hint="rename the columns in the file, or fix columns: in pack.yaml (match name or title; case-sensitive)",
        )
    checked = _q(f"__checked_{table}")
    engine.execute(f"CREATE OR REPLACE TEMP TABLE {checked} AS "
                   f"SELECT *, {reason_sql(source, raw_columns)} AS {REASON} FROM {raw}")
    engine.execute(f"DROP TABLE IF EXISTS {raw}")
    raw = checked  # from here on the raw rows are read with their reasons
    loaded_sql, rejected_sql = typed_select(source, raw, raw_columns, checked)
    rows_loaded = int(engine.scalar(f"SELECT count(*) FROM {checked} WHERE {REASON} IS NULL"))
    _write_ods(engine, layer, table, loaded_sql, plan)
    rows_quarantined = _quarantine(engine, source, table, rejected_sql, run_id)
    new_max = None
    if plan.options is not None and plan.options.mode == "watermark":
        assert plan.options.column is not None
        # Loaded rows are already typed, so max() compares as the declared type (9 < 10).
        column = _declared_name(source, plan.options.column)
        new_max = engine.scalar(f"SELECT CAST(max({_q(column)}) AS VARCHAR) FROM ({loaded_sql})")
    files = [r[SOURCE_FILE] for r in engine.query(f"SELECT DISTINCT {SOURCE_FILE} FROM {raw}").to_pylist()
             if r[SOURCE_FILE] is not None] if SOURCE_FILE in raw_columns else []
    engine.execute(f"DROP TABLE IF EXISTS {raw}")
    incremental.commit(store, source, plan, run_id=run_id, new_max=new_max, files=files)
    return IngestResult(source.target, rows_read, rows_loaded, rows_quarantined, rows_before,
                        engine.row_count(layer, table), appended=plan.append)


def _declared_name(source: SourceSpec, column: str) -> str:
    """A column named by its title in options resolves to its declared name (as it is in ODS)."""
    return next((c.name for c in source.columns if column in (c.name, c.title)), column)


def _write_ods(engine: Engine, layer: str, table: str, loaded_sql: str, plan: incremental.Plan) -> None:
    """Replace the ODS table, or (incremental) append to it, atomically either way."""
    if not (plan.append and engine.table_exists(layer, table)):
        engine.replace_table(layer, table, loaded_sql)
        return
    current = f"{_q(layer)}.{_q(table)}"
    keep = f"SELECT * FROM {current}"
    if plan.unique_key:
        # An appended row supersedes the earlier row with the same key (NULL keys never match).
        same = " AND ".join(f"n.{_q(k)} = o.{_q(k)}" for k in plan.unique_key)
        keep = f"SELECT o.* FROM {current} AS o WHERE NOT EXISTS (SELECT 1 FROM ({loaded_sql}) AS n WHERE {same})"
    engine.replace_table(layer, table, f"{keep} UNION ALL BY NAME {loaded_sql}")


def _quarantine(engine: Engine, source: SourceSpec, table: str, rejected_sql: str, run_id: int) -> int:
    """Append rejected rows, as received plus reason, source and run, to ``quarantine.<table>``."""
    count = int(engine.scalar(f"SELECT count(*) FROM ({rejected_sql})"))
    if count == 0:
        return 0
    engine.ensure_schema(QUARANTINE_SCHEMA)
    target = f"{QUARANTINE_SCHEMA}.{_q(table)}"
    batch = f"SELECT {int(run_id)} AS _run_id, {_sql_text(source.name)} AS _source, * FROM ({rejected_sql})"
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
