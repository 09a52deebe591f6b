-- input (DuckDB)
SELECT epoch(ts) AS s FROM t
-- expected (Spark)
SELECT UNIX_MICROS(CAST(ts AS TIMESTAMP)) / CAST(1000000 AS DOUBLE) AS s FROM t
