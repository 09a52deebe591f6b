"""Type names between DuckDB (what the platform and packs write) and Spark."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyarrow as pa


@lru_cache(maxsize=256)
def arrow_type_of(duckdb_type: str) -> pa.DataType:
    """The Arrow type DuckDB gives a DuckDB type name (``VARCHAR``, ``DATE``, ``STRUCT(...)``)."""
    import duckdb

    con = duckdb.connect()
    try:
        return con.execute(f"SELECT CAST(NULL AS {duckdb_type}) AS x").to_arrow_table().schema.field("x").type
    finally:
        con.close()


# Spark simpleString -> the DuckDB name the platform shows and compares.
_NAMES = {
    "string": "VARCHAR", "boolean": "BOOLEAN", "tinyint": "TINYINT", "smallint": "SMALLINT",
    "int": "INTEGER", "bigint": "BIGINT", "float": "FLOAT", "double": "DOUBLE", "date": "DATE",
    "timestamp": "TIMESTAMP WITH TIME ZONE", "timestamp_ntz": "TIMESTAMP", "binary": "BLOB",
}


def duckdb_type_name(spark_type: Any) -> str:
    simple = spark_type.simpleString()
    if simple.startswith("decimal"):
        return simple.upper()
    return _NAMES.get(simple, simple.upper())
