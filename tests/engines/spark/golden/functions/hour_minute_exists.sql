-- input (DuckDB)
SELECT hour(ts) * 4 + minute(ts) // 15 AS slot FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)
-- expected (Spark)
SELECT HOUR(ts) * 4 + MINUTE(ts) DIV 15 AS slot FROM t WHERE EXISTS(SELECT 1 FROM u WHERE u.id = t.id)
