"""The vectorized Python array API: run a governance SQL function over whole Arrow arrays.

Where a rule is a SQL macro, Python callers with arrays (connectors, the synthetic generator,
tests) must get exactly what model SQL gets, so they run the same macro on a private in-memory
DuckDB connection instead of a second, Python-loop implementation. Arrow UDFs are called directly.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from lingshu.engines.private import PrivateDuckDB
from lingshu.govern.sqldefs import CATALOGUE, ArrowUdf, as_array

def _install(engine: Any) -> None:
    from lingshu.govern.sql import register_sql

    register_sql(engine)


# No extensions: the governance functions need none, and this keeps start-up quick. Address
# matching and type probing run their own statements on it, holding ``PRIVATE.lock``.
PRIVATE = PrivateDuckDB(setup=_install)


def apply_sql(name: str, *arrays: Any) -> pa.Array:
    """``name(a0, a1, ...)`` evaluated row-wise over equal-length arrays, order preserved."""
    from lingshu.govern.sql import ensure_loaded

    ensure_loaded()
    fn = CATALOGUE.get(name)
    if isinstance(fn, ArrowUdf):
        return as_array(fn.func(*(as_array(a) for a in arrays)))
    return PRIVATE.project(f"{name}({', '.join(f'a{i}' for i in range(len(arrays)))})",
                            *(as_array(a) for a in arrays))
