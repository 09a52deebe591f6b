-- input (DuckDB)
SELECT hour(ts) * 60 + minute(ts) AS minute_of_day, CAST(ts AS TIMESTAMP) AS t FROM t WHERE hour(ts) * 60 + minute(ts) < 12 * 60
-- expected (Spark)
SELECT HOUR(ts) * 60 + MINUTE(ts) AS minute_of_day, CAST(ts AS TIMESTAMP_NTZ) AS t FROM t WHERE HOUR(ts) * 60 + MINUTE(ts) < 12 * 60
