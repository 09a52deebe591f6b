-- input (DuckDB)
SELECT CAST(epoch(t.ts - l.origin_ts) AS INTEGER) // 900 AS horizon FROM t, l
-- expected (Spark)
SELECT CAST((UNIX_MICROS(CAST(t.ts AS TIMESTAMP)) - UNIX_MICROS(CAST(l.origin_ts AS TIMESTAMP))) / CAST(1000000 AS DOUBLE) AS INT) DIV 900 AS horizon FROM t, l
