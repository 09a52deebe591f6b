"""The Engine interface: the small surface every compute engine implements.

Model SQL is written once in DuckDB's dialect; an engine says which dialect it speaks and what it
can do through capability flags. Callers branch on a flag, never on the engine's type.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa


@dataclass(frozen=True)
class Capabilities:
    atomic_swap: bool = True  # replace a table in one transaction (readers never see it missing)
    spatial: bool = False  # ST_* functions and GEOMETRY columns
    full_text: bool = False  # fts index and match_bm25
    python_udfs: bool = True  # register_function works
    transactions: bool = True


@dataclass(frozen=True)
class Column:
    name: str
    type: str


class Engine(abc.ABC):
    name: str = "abstract"
    dialect: str = "duckdb"  # SQLGlot dialect name of the SQL this engine executes
    capabilities: Capabilities = Capabilities()
    generation: int = 0  # increases whenever a table is replaced (metadata caches key on it)

    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run a statement for its effect."""

    @abc.abstractmethod
    def query(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        table = self.query(sql, params)
        return table.column(0)[0].as_py() if table.num_rows else None

    @abc.abstractmethod
    def ensure_schema(self, schema: str) -> None: ...

    @abc.abstractmethod
    def table_exists(self, schema: str, name: str) -> bool: ...

    @abc.abstractmethod
    def columns(self, schema: str, name: str) -> list[Column]: ...

    @abc.abstractmethod
    def replace_table(self, schema: str, name: str, select_sql: str,
                      inspect: Callable[[str], Any] | None = None) -> Any:
        """Build ``select_sql`` aside, then swap it in. On failure the old table is untouched.

        ``inspect`` is called with the quoted name of the built side table before the swap, while
        both versions exist (to count inserted/updated/deleted rows); its result is returned.
        """

    @abc.abstractmethod
    def replace_table_from_arrow(self, schema: str, name: str, data: pa.Table,
                                 inspect: Callable[[str], Any] | None = None) -> Any:
        """Same contract as ``replace_table`` for data already in memory."""

    @abc.abstractmethod
    def load_temp(self, name: str, data: pa.Table | pa.RecordBatchReader) -> None:
        """Materialize data as a session-scoped temporary table (dropped on close)."""

    @abc.abstractmethod
    def register_function(
        self, name: str, func: Callable[..., Any], params: Sequence[str], returns: str
    ) -> None:
        """Expose a vectorized Python function (Arrow in, Arrow out) to SQL."""

    def add_reader_setup(self, hook: Callable[[Engine], Any]) -> None:
        """Run ``hook`` on every new reader connection (to install SQL functions there).

        Engines whose readers share the main connection need nothing: this default does nothing.
        """

    def reader(self) -> Engine:
        """An engine view for concurrent readers (the server's request threads).

        Engines whose connection cannot be shared override this; readers must never block on,
        or see half of, a pipeline's build.
        """
        return self

    def row_count(self, schema: str, name: str) -> int | None:
        if not self.table_exists(schema, name):
            return None
        return int(self.scalar(f'SELECT count(*) FROM "{schema}"."{name}"'))

    def close(self) -> None:  # noqa: B027 - optional for engines holding no resources
        pass
