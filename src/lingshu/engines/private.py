"""A private in-memory DuckDB per process for evaluating SQL row-wise over Arrow arrays.

Python callers with arrays (connectors, the synthetic generator, Spark's Python workers running
DuckDB-only functions as UDFs) must get exactly what model SQL gets, so they run the same SQL
on a private connection instead of a second implementation. One thread and a plain projection:
DuckDB keeps the input order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pyarrow as pa


class PrivateDuckDB:
    """A lazily opened one-thread DuckDB engine; ``setup`` installs what the SQL needs."""

    def __init__(self, extensions: tuple[str, ...] = (), setup: Callable[[Any], None] | None = None):
        self.lock = threading.Lock()  # one connection per process: callers take turns
        self._extensions = extensions
        self._setup = setup
        self._engine: Any = None

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from lingshu.engines.duckdb import DuckDBEngine

            engine = DuckDBEngine(":memory:", extensions=self._extensions, threads=1)
            if self._setup is not None:
                self._setup(engine)
            self._engine = engine
        return self._engine

    def project(self, expression: str, *arrays: Any) -> pa.Array:
        """``expression`` over columns ``a0, a1, ...`` bound to ``arrays``, one value per row, in order."""
        cols = {f"a{i}": (a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a) for i, a in enumerate(arrays)}
        with self.lock:
            con = self.engine.con
            con.register("__lingshu_rows", pa.table(cols))
            try:
                out = con.execute(f"SELECT {expression} AS r FROM __lingshu_rows").to_arrow_table()
            finally:
                con.unregister("__lingshu_rows")
        return out.column("r").combine_chunks()
