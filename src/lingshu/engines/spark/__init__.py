"""The Spark engine: the same packs on a distributed engine (PySpark, imported lazily).

- ``transpile``: model and platform SQL (DuckDB's dialect) -> Spark SQL through SQLGlot, with a
  registry of verified functions and rewrite rules; anything else is rejected by name.
- ``storage``: the Parquet warehouse (``warehouse-spark/<schema>/<table>/``), swapped atomically.
- ``statements``: DDL and DML on Parquet tables and session temp tables, by statement type.
- ``functions``: governance and security functions as vectorized Arrow UDFs.
- ``engine``: ``SparkEngine``, the ``Engine`` implementation (registered as ``spark``).

Only ``engine`` imports pyspark, and only when a Spark engine is opened.
"""
