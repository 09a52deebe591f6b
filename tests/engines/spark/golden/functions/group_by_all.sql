-- input (DuckDB)
SELECT k, count(*) FROM t GROUP BY ALL HAVING count(*) > 1
-- expected (Spark)
SELECT k, COUNT(*) FROM t GROUP BY ALL HAVING COUNT(*) > 1
