"""The catalogue of SQL functions the governance modules define (installed by ``sql.register_sql``).

Each validator module declares its SQL here next to its Python reference, so a function is
defined once, in the module that owns the rule. Two forms:

- ``SqlMacro``: the logic fits SQL, so it is a DuckDB macro; the engine evaluates it vectorized
  and the Python array API (``vector.apply_sql``) runs the very same macro.
- ``ArrowUdf``: the logic does not fit SQL (iterations, numeral arithmetic), so it is a Python
  function over whole Arrow arrays, registered with ``Engine.register_function``.

Order matters: a macro may only call functions already created, so the catalogue keeps the
order in which modules declare their functions (dependencies first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa


@dataclass(frozen=True)
class SqlMacro:
    name: str
    params: tuple[str, ...]
    body: str  # one SQL expression over the params
    doc: str

    def create_sql(self) -> str:
        # TEMP: the platform may open a warehouse read-only; temporary macros still work there.
        return f"CREATE OR REPLACE TEMP MACRO {self.name}({', '.join(self.params)}) AS ({self.body})"


@dataclass(frozen=True)
class ArrowUdf:
    name: str
    func: Callable[..., Any]  # Arrow arrays in, one Arrow array out, same length
    params: tuple[str, ...]  # DuckDB type names
    returns: str
    doc: str


SqlFunction = SqlMacro | ArrowUdf

# Insertion-ordered on purpose (see module docstring); names are unique.
CATALOGUE: dict[str, SqlFunction] = {}


def declare(fn: SqlFunction) -> SqlFunction:
    if fn.name in CATALOGUE and CATALOGUE[fn.name] != fn:
        raise ValueError(f"SQL function {fn.name!r} is declared twice")
    CATALOGUE[fn.name] = fn
    return fn


def macro(name: str, params: str, body: str, doc: str) -> SqlMacro:
    """Declare a macro; ``params`` is a comma-separated list, e.g. ``"x"`` or ``"lng, lat"``."""
    m = SqlMacro(name, tuple(p.strip() for p in params.split(",") if p.strip()), body.strip(), doc)
    declare(m)
    return m


def udf(name: str, params: list[str], returns: str, doc: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: declare an Arrow function. DuckDB hands over chunked arrays; we combine them."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        def arrow_entry(*arrays: Any) -> pa.Array:
            return func(*(as_array(a) for a in arrays))

        declare(ArrowUdf(name, _ARITY[len(params)](arrow_entry), tuple(params), returns, doc))
        return func

    return decorator


# DuckDB reads the Python signature to count parameters, so the entry point needs a fixed arity.
_ARITY: dict[int, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    1: lambda f: lambda a: f(a),
    2: lambda f: lambda a, b: f(a, b),
    3: lambda f: lambda a, b, c: f(a, b, c),
    4: lambda f: lambda a, b, c, d: f(a, b, c, d),
}


def as_array(values: Any) -> pa.Array:
    """Whatever array-like we are given (chunked, list, numpy), one contiguous Arrow array."""
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if isinstance(values, pa.Array):
        return values
    return pa.array(values)


def let(var: str, expr: str, body: str) -> str:
    """``body`` with ``var`` bound to ``expr``, evaluated once per row.

    DuckDB macros substitute their arguments textually, so a macro that uses a derived value five
    times would expand (and bind) it five times, and nesting multiplies that: binding took seconds.
    A one-element list and a lambda bind the value once and stay vectorized.
    """
    return f"list_transform([{expr}], lambda {var}: {body})[1]"


def sql_str(s: str) -> str:
    """A Python string as a SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def sql_list(items: list[str]) -> str:
    return "[" + ", ".join(sql_str(i) for i in items) + "]"


def sql_map(pairs: dict[str, str]) -> str:
    return "MAP {" + ", ".join(f"{sql_str(k)}: {sql_str(v)}" for k, v in pairs.items()) + "}"
