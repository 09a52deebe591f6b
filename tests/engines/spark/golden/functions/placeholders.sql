-- input (DuckDB)
SELECT * FROM t WHERE a > ? AND b = ?
-- expected (Spark)
SELECT * FROM t WHERE a > ? AND b = ?
