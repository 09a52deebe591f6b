"""Fixtures for the governance tests: one real DuckDB engine with every govern function installed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lingshu.engines import open_engine
from lingshu.govern.sql import register_sql


@pytest.fixture(scope="session")
def gov_engine() -> Iterator[Any]:
    eng = open_engine("duckdb", ":memory:", extensions=())
    register_sql(eng)
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def sql_col(gov_engine: Any):  # noqa: ANN201 - returns a helper
    """Evaluate ``func(x)`` in SQL on the engine over a Python list, order kept."""
    import pyarrow as pa

    def run(func: str, values: list[Any], typ: Any = pa.string()) -> list[Any]:
        gov_engine.con.register("t_in", pa.table({"x": pa.array(values, typ), "i": range(len(values))}))
        try:
            return gov_engine.query(f"SELECT {func}(x) AS r FROM t_in ORDER BY i").column("r").to_pylist()
        finally:
            gov_engine.con.unregister("t_in")

    return run
