"""Comparing a pack's outputs between engines: exact for keys, counts and text, tolerance for floats.

Rows are compared as multisets (engines order rows differently unless asked), after turning each
value into a canonical form: decimals and floats to float (compared with a relative tolerance),
time-zone-aware timestamps to naive UTC (Spark returns them aware, DuckDB naive), lists and
structs recursively.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from typing import Any

import pyarrow as pa


def canonical(value: Any) -> Any:
    if isinstance(value, decimal.Decimal | float):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return tuple(canonical(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, canonical(v)) for k, v in value.items()))
    return value


def _sort_key(row: tuple) -> tuple:
    # Floats are rounded for ordering only, so rows that differ by noise still line up.
    return tuple((v is None, type(v).__name__, round(v, 6) if isinstance(v, float) else v) for v in row)


def rows(table: pa.Table) -> list[tuple]:
    data = [tuple(canonical(v) for v in r.values()) for r in table.to_pylist()]
    return sorted(data, key=_sort_key)


def same(a: Any, b: Any, rel: float, abs_: float = 1e-9) -> bool:
    if isinstance(a, float) and isinstance(b, float | int) or isinstance(b, float) and isinstance(a, int):
        if math.isnan(float(a)) and math.isnan(float(b)):
            return True
        return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y, rel, abs_) for x, y in zip(a, b, strict=True))
    return a == b


def differences(table: str, expected: pa.Table, actual: pa.Table, rel: float, abs_: float = 1e-9) -> list[str]:
    """What differs, in words; empty when the tables conform."""
    if expected.column_names != actual.column_names:
        return [f"{table}: columns {expected.column_names} != {actual.column_names}"]
    if expected.num_rows != actual.num_rows:
        return [f"{table}: {expected.num_rows} rows != {actual.num_rows} rows"]
    out = []
    for i, (e, a) in enumerate(zip(rows(expected), rows(actual), strict=True)):
        if not same(e, a, rel, abs_):
            cols = [c for c, x, y in zip(expected.column_names, e, a, strict=True) if not same(x, y, rel, abs_)]
            out.append(f"{table}: row {i} differs in {cols}: {e} != {a}")
            if len(out) >= 5:
                break
    return out
