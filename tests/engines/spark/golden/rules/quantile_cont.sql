-- input (DuckDB)
SELECT quantile_cont(x, 0.9) AS p90 FROM t
-- expected (Spark)
SELECT PERCENTILE(x, 0.9) AS p90 FROM t
