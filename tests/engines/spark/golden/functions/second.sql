-- input (DuckDB)
SELECT count(*) FILTER (WHERE NOT (minute(ts) % 5 = 0 AND second(ts) = 0)) AS misaligned FROM t
-- expected (Spark)
SELECT COUNT(*) FILTER(WHERE NOT (MINUTE(ts) % 5 = 0 AND SECOND(ts) = 0)) AS misaligned FROM t
