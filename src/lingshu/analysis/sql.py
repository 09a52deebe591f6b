"""Install the analysis SQL macros on an engine: ``register_sql(engine)`` (see ``Context``).

Each analysis module declares its macros in ``MACROS`` next to its Python reference. The macros
are TEMP, like the governance ones, so they also work on a read-only warehouse.
"""

from __future__ import annotations

import importlib
import itertools
import threading
from functools import lru_cache, partial
from typing import Any

import pyarrow as pa

from lingshu.engines.base import Engine
from lingshu.govern.sqldefs import SqlMacro

# Import order = creation order: a macro may call only macros created before it.
MODULES = ("lingshu.analysis.pavement", "lingshu.analysis.traffic", "lingshu.analysis.holidays")
_INSTALLED = "_lingshu_analysis_sql"


def macros() -> list[SqlMacro]:
    """Every analysis macro, in creation order."""
    out: list[SqlMacro] = []
    for name in MODULES:
        out.extend(importlib.import_module(name).MACROS)
    return out


def register_sql(engine: Engine) -> list[str]:
    """Create the macros on ``engine``: DuckDB macros, or on another engine with Python UDFs
    (Spark), vectorized UDFs running the very same macros on a private DuckDB (``apply_macro``),
    as the governance macros do, so both engines give identical results by construction."""
    if getattr(engine, _INSTALLED, False):
        return []
    names = []
    for m in macros():
        if engine.dialect == "duckdb":
            engine.execute(m.create_sql())
        elif engine.capabilities.python_udfs and (returns := macro_returns(m.name)) is not None:
            engine.register_function(m.name, partial(apply_macro, m.name), ["VARCHAR"] * len(m.params), returns)
        else:
            continue
        names.append(m.name)
    setattr(engine, _INSTALLED, True)
    return names


_lock = threading.Lock()
_con: Any = None


def _private() -> Any:
    """An in-memory DuckDB holding every analysis macro (one per process, e.g. per Spark worker)."""
    global _con
    if _con is None:
        import duckdb

        con = duckdb.connect(config={"threads": 1, "autoinstall_known_extensions": False,
                                     "autoload_known_extensions": False})
        for m in macros():
            con.execute(m.create_sql())
        _con = con
    return _con


def apply_macro(name: str, *arrays: Any) -> pa.Array:
    """``name(a0, a1, ...)`` row-wise over equal-length Arrow arrays, order kept (one thread)."""
    cols = {f"a{i}": (a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a) for i, a in enumerate(arrays)}
    with _lock:
        con = _private()
        con.register("__lingshu_an", pa.table(cols))
        try:
            out = con.execute(f"SELECT {name}({', '.join(cols)}) AS r FROM __lingshu_an").to_arrow_table()
        finally:
            con.unregister("__lingshu_an")
    return out.column("r").combine_chunks()


# Sample arguments tried in turn for each parameter: the first combination that binds and runs
# tells the macro's result type (a UDF needs it up front; a macro infers it from its arguments).
_SAMPLES = ("CAST(1 AS DOUBLE)", "'0'", "DATE '2025-01-01'")


@lru_cache(maxsize=None)
def macro_returns(name: str) -> str | None:
    m = next(m for m in macros() if m.name == name)
    con = _private()
    with _lock:
        for args in itertools.product(_SAMPLES, repeat=len(m.params)):
            try:
                found = str(con.execute(f"SELECT typeof({name}({', '.join(args)}))").fetchone()[0])
            except Exception:  # noqa: BLE001 - a binder or conversion error: try the next types
                continue
            if found != '"NULL"':
                return found
    return None
