-- input (DuckDB)
SELECT lpad(CAST(m // 60 AS VARCHAR), 2, '0') || ':' || lpad(CAST(m % 60 AS VARCHAR), 2, '0') AS hhmm, avg(x) OVER (PARTITION BY k ORDER BY m RANGE BETWEEN CURRENT ROW AND 45 FOLLOWING) AS hour_x FROM (SELECT k, x, hour(ts) * 60 + minute(ts) AS m FROM t)
-- expected (Spark)
SELECT LPAD(CAST(m DIV 60 AS STRING), 2, '0') || ':' || LPAD(CAST(m % 60 AS STRING), 2, '0') AS hhmm, AVG(x) OVER (PARTITION BY k ORDER BY m NULLS LAST RANGE BETWEEN CURRENT ROW AND 45 FOLLOWING) AS hour_x FROM (SELECT k, x, HOUR(ts) * 60 + MINUTE(ts) AS m FROM t)
