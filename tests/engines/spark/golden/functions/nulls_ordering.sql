-- input (DuckDB)
SELECT a FROM t ORDER BY a, b DESC
-- expected (Spark)
SELECT a FROM t ORDER BY a NULLS LAST, b DESC
