"""Install the analysis SQL macros on an engine: ``register_sql(engine)`` (see ``Context``).

Each analysis module declares its macros in ``MACROS`` next to its Python reference. The macros
are TEMP, like the governance ones, so they also work on a read-only warehouse.
"""

from __future__ import annotations

import importlib
import itertools
from functools import lru_cache, partial
from typing import Any

import pyarrow as pa

from lingshu.engines.base import Engine
from lingshu.engines.private import PrivateDuckDB
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


def _install(engine: Any) -> None:
    for m in macros():
        engine.execute(m.create_sql())


# Every analysis macro on a private DuckDB (one per process, e.g. per Spark worker).
_PRIVATE = PrivateDuckDB(setup=_install)


def apply_macro(name: str, *arrays: Any) -> pa.Array:
    """``name(a0, a1, ...)`` row-wise over equal-length Arrow arrays, order kept (one thread)."""
    return _PRIVATE.project(f"{name}({', '.join(f'a{i}' for i in range(len(arrays)))})", *arrays)


# Sample arguments tried in turn for each parameter: the first combination that binds and runs
# tells the macro's result type (a UDF needs it up front; a macro infers it from its arguments).
_SAMPLES = ("CAST(1 AS DOUBLE)", "'0'", "DATE '2025-01-01'")


@lru_cache(maxsize=None)
def macro_returns(name: str) -> str | None:
    m = next(m for m in macros() if m.name == name)
    with _PRIVATE.lock:
        con = _PRIVATE.engine.con
        for args in itertools.product(_SAMPLES, repeat=len(m.params)):
            try:
                found = str(con.execute(f"SELECT typeof({name}({', '.join(args)}))").fetchone()[0])
            except Exception:  # noqa: BLE001 - a binder or conversion error: try the next types
                continue
            if found != '"NULL"':
                return found
    return None
