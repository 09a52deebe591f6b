"""The embedded default engine: one DuckDB warehouse file per workspace.

Spatial and full-text search come from the PyPI wheels ``duckdb-extension-spatial`` and
``duckdb-extension-fts``. They are loaded by file path, with DuckDB's own autoinstall and
autoload switched off, so nothing is ever fetched from the network (the bureau's intranet has none).
"""

from __future__ import annotations

import importlib.util
import threading
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from lingshu.core.errors import EngineError
from lingshu.engines.base import Capabilities, Column, Engine

EXTENSION_WHEELS = {"spatial": "duckdb_extension_spatial", "fts": "duckdb_extension_fts"}
CATALOG = "warehouse"  # the warehouse's name when it is attached (a row group size of its own)


def extension_path(name: str) -> Path:
    """Where the installed wheel keeps the extension binary for this DuckDB version."""
    package = EXTENSION_WHEELS[name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise EngineError(
            f"the DuckDB extension {name!r} is not installed",
            hint=f"pip install {package.replace('_', '-')}=={duckdb.__version__} (or run `make demo`)",
        )
    path = Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        raise EngineError(
            f"the {name} extension wheel does not match DuckDB {duckdb.__version__}: {path} is missing",
            hint=f"install {package.replace('_', '-')}=={duckdb.__version__}",
        )
    return path


class DuckDBEngine(Engine):
    name = "duckdb"
    dialect = "duckdb"
    capabilities = Capabilities(atomic_swap=True, spatial=True, full_text=True, python_udfs=True)

    def __init__(self, warehouse: Path | str = ":memory:", *, read_only: bool = False,
                 extensions: Sequence[str] = ("spatial", "fts"), threads: int | None = None,
                 row_group_size: int | None = None):
        config: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        if threads:
            config["threads"] = threads
        # The row group size is a property of the attached database, not a connection setting:
        # a file warehouse with its own size is attached to an in-memory connection and made the
        # default catalog (here and on every reader cursor, see ``cursor``).
        attach = row_group_size is not None and str(warehouse) != ":memory:"
        self.catalog = CATALOG if attach else None
        try:
            self.con = duckdb.connect(":memory:" if attach else str(warehouse), read_only=False if attach else read_only,
                                      config=config)
            if attach:
                options = f"ROW_GROUP_SIZE {int(row_group_size)}" + (", READ_ONLY" if read_only else "")
                self.con.execute(f"ATTACH '{_sql_path(warehouse)}' AS {CATALOG} ({options})")
                self.con.execute(f"USE {CATALOG}")
        except duckdb.Error as exc:
            raise EngineError(
                f"cannot open the warehouse {warehouse}: {_short(exc)}",
                hint="another Lingshu process may hold it; stop it or use a read-only command",
            ) from None
        # One connection serves every thread (temporary macros and Python UDFs are per
        # connection); DuckDB parallelises inside each query, so a lock costs little.
        self.lock = threading.RLock()
        self._reader: DuckDBReader | None = None
        self.generation = 0  # bumped by every table swap: lets readers cache table metadata
        self.setup: list[Callable[[Engine], Any]] = []  # function installers, replayed on reader cursors
        # Also forbid the network explicitly: a stray INSTALL must fail, not download.
        self.con.execute("SET allow_community_extensions = false")
        for ext in extensions:
            self.load_extension(ext)

    def load_extension(self, name: str) -> None:
        path = extension_path(name)
        try:
            self.con.execute(f"LOAD '{path.as_posix()}'")
        except duckdb.Error as exc:
            raise EngineError(f"cannot load the DuckDB extension {name} from {path}: {exc}") from None

    # -- statements -----------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        try:
            with self.lock:
                self.con.execute(sql, params)
        except duckdb.Error as exc:
            raise EngineError(_short(exc), hint="check the SQL named above") from exc

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        try:
            with self.lock:
                return self.con.execute(sql, params).to_arrow_table()
        except duckdb.Error as exc:
            raise EngineError(_short(exc), hint="check the SQL named above") from exc

    # -- catalog --------------------------------------------------------------------------------
    def ensure_schema(self, schema: str) -> None:
        self.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')

    def table_exists(self, schema: str, name: str) -> bool:
        # duckdb_tables()/duckdb_columns() answer in a fraction of information_schema's time,
        # which matters on the API's per-request path.
        return bool(self.scalar(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]))

    def columns(self, schema: str, name: str) -> list[Column]:
        rows = self.query(
            "SELECT column_name, data_type FROM duckdb_columns() "
            "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
            [schema, name],
        ).to_pylist()
        return [Column(r["column_name"], r["data_type"]) for r in rows]

    # -- materialization ------------------------------------------------------------------------
    def replace_table(self, schema: str, name: str, select_sql: str,
                      inspect: Callable[[str], Any] | None = None) -> Any:
        return self._swap(schema, name,
                          lambda tmp: self.con.execute(f"CREATE TABLE {tmp} AS {select_sql}"), inspect)

    def replace_table_from_arrow(self, schema: str, name: str, data: pa.Table,
                                 inspect: Callable[[str], Any] | None = None) -> Any:
        view = f"__lingshu_arrow_{uuid.uuid4().hex[:8]}"
        with self.lock:
            self.con.register(view, data)
        try:
            return self._swap(schema, name,
                              lambda tmp: self.con.execute(f"CREATE TABLE {tmp} AS SELECT * FROM {view}"), inspect)
        finally:
            self.con.unregister(view)

    def _swap(self, schema: str, name: str, build: Callable[[str], Any],
              inspect: Callable[[str], Any] | None = None) -> Any:
        """Build into a side table, then drop-and-rename in one transaction.

        Readers see either the old table or the new one, never neither; if ``build`` (or
        ``inspect``) fails, the side table is dropped and the old table keeps its rows.
        """
        with self.lock:  # the whole build-and-swap is one unit for other threads
            self.ensure_schema(schema)
            side = f'"{schema}"."__new_{name}_{uuid.uuid4().hex[:8]}"'
            in_transaction = False
            try:
                build(side)
                result = inspect(side) if inspect is not None else None
                self.con.execute("BEGIN TRANSACTION")
                in_transaction = True
                self.con.execute(f'DROP TABLE IF EXISTS "{schema}"."{name}"')
                self.con.execute(f'ALTER TABLE {side} RENAME TO "{name}"')
                self.con.execute("COMMIT")
                self.generation += 1
                return result
            except BaseException as exc:
                if in_transaction:
                    self.con.execute("ROLLBACK")
                self.con.execute(f"DROP TABLE IF EXISTS {side}")
                if isinstance(exc, duckdb.Error):
                    raise EngineError(_short(exc), hint="the previous table is unchanged") from exc
                raise

    def load_temp(self, name: str, data: pa.Table | pa.RecordBatchReader) -> None:
        view = f"__lingshu_in_{uuid.uuid4().hex[:8]}"
        with self.lock:
            self.con.register(view, data)
            try:
                self.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM {view}')
            finally:
                self.con.unregister(view)

    # -- functions ------------------------------------------------------------------------------
    def register_function(self, name: str, func: Callable[..., Any], params: Sequence[str],
                          returns: str) -> None:
        self.con.create_function(name, func, list(params), returns, type="arrow")

    def add_reader_setup(self, hook: Callable[[Engine], Any]) -> None:
        self.setup.append(hook)

    def reader(self) -> DuckDBReader:
        if self._reader is None:
            self._reader = DuckDBReader(self)
        return self._reader

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the same database, reading the warehouse as this one does."""
        cursor = self.con.cursor()
        if self.catalog:
            cursor.execute(f"USE {self.catalog}")
        return cursor

    def close(self) -> None:
        self.con.close()


class DuckDBReader(DuckDBEngine):
    """Per-thread cursors on the warehouse: reads run alongside pipeline builds, without the lock.

    DuckDB's MVCC gives each read a consistent snapshot, and builds swap tables inside one
    transaction, so a reader sees the old table or the new one, never a half-built one. Temporary
    macros are per connection (Python UDFs are not): the parent's ``setup`` hooks (the SQL function
    sets the Context installs) run on each new cursor, so readers have the same functions.
    """

    def __init__(self, parent: DuckDBEngine):  # noqa: no super(): opens nothing
        self._parent = parent
        self._local = threading.local()
        self.lock = threading.RLock()
        self._reader = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:  # type: ignore[override]
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._parent.cursor()
            # A view bound to this one cursor: installers that remember "done" per engine object
            # must see a new object for each connection.
            view = self._local.view = _CursorEngine(cursor, self._parent)
            for hook in self._parent.setup:
                hook(view)
        return cursor

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        try:
            self.con.execute(sql, params)
        except duckdb.Error as exc:
            raise EngineError(_short(exc), hint="check the SQL named above") from exc

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        try:
            return self.con.execute(sql, params).to_arrow_table()
        except duckdb.Error as exc:
            raise EngineError(_short(exc), hint="check the SQL named above") from exc

    def batches(self, sql: str, params: Sequence[Any] | None = None,
                batch_size: int = 50_000) -> pa.RecordBatchReader:
        """Stream a large result (exports) without holding it all in memory."""
        try:
            return self._parent.cursor().execute(sql, params).to_arrow_reader(batch_size)
        except duckdb.Error as exc:
            raise EngineError(_short(exc), hint="check the SQL named above") from exc

    def register_function(self, name: str, func: Callable[..., Any], params: Sequence[str],
                          returns: str) -> None:
        pass  # Python UDFs live in the database's catalog: the parent registered them for every cursor

    def reader(self) -> DuckDBReader:
        return self

    @property
    def generation(self) -> int:  # type: ignore[override]
        return self._parent.generation

    def close(self) -> None:
        pass  # the cursors close with the main connection


def _sql_path(path: Path | str) -> str:
    return Path(path).as_posix().replace("'", "''")


def _short(exc: Exception) -> str:
    """DuckDB messages carry a multi-line LINE/caret block; keep it, but drop trailing noise."""
    return str(exc).strip()


class _CursorEngine(DuckDBReader):
    """One reader cursor as an engine, for the setup hooks that install functions into it."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, parent: DuckDBEngine):  # noqa: no super()
        self._cursor = cursor
        self._parent = parent
        self.lock = threading.RLock()
        self._reader = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:  # type: ignore[override]
        return self._cursor
