"""Install the analysis SQL macros on an engine: ``register_sql(engine)`` (see ``Context``).

Each analysis module declares its macros in ``MACROS`` next to its Python reference. The macros
are TEMP, like the governance ones, so they also work on a read-only warehouse.
"""

from __future__ import annotations

import importlib

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
    """Create the macros on ``engine`` (DuckDB SQL; other dialects get none for now)."""
    if getattr(engine, _INSTALLED, False) or engine.dialect != "duckdb":
        return []
    names = []
    for m in macros():
        engine.execute(m.create_sql())
        names.append(m.name)
    setattr(engine, _INSTALLED, True)
    return names
