"""The vectorized Python array API: run a governance SQL function over whole Arrow arrays.

Where a rule is a SQL macro, Python callers with arrays (connectors, the synthetic generator,
tests) must get exactly what model SQL gets, so they run the same macro on a private in-memory
DuckDB connection instead of a second, Python-loop implementation. Arrow UDFs are called directly.
"""

from __future__ import annotations

import threading
from typing import Any

import pyarrow as pa

from lingshu.govern.sqldefs import CATALOGUE, ArrowUdf, as_array

_lock = threading.Lock()
_engine: Any = None


def _private_engine() -> Any:
    global _engine
    if _engine is None:
        from lingshu.engines.duckdb import DuckDBEngine
        from lingshu.govern.sql import register_sql

        # No extensions: the governance functions need none, and this keeps start-up quick.
        _engine = DuckDBEngine(":memory:", extensions=(), threads=1)
        register_sql(_engine)
    return _engine


def apply_sql(name: str, *arrays: Any) -> pa.Array:
    """``name(a0, a1, ...)`` evaluated row-wise over equal-length arrays, order preserved."""
    from lingshu.govern.sql import ensure_loaded

    ensure_loaded()
    fn = CATALOGUE.get(name)
    if isinstance(fn, ArrowUdf):
        return as_array(fn.func(*(as_array(a) for a in arrays)))
    cols = {f"a{i}": as_array(a) for i, a in enumerate(arrays)}
    args = ", ".join(cols)
    with _lock:
        eng = _private_engine()
        eng.con.register("__lingshu_vec", pa.table(cols))
        try:
            # threads=1 and a plain projection: DuckDB keeps the input order.
            out = eng.con.execute(f"SELECT {name}({args}) AS r FROM __lingshu_vec").to_arrow_table()
        finally:
            eng.con.unregister("__lingshu_vec")
    return as_array(out.column("r"))
