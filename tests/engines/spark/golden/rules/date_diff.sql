-- input (DuckDB)
SELECT datediff('day', created_date, completed_date) AS days, date_diff('day', CAST(a AS TIMESTAMP), b) AS d2 FROM t
-- expected (Spark)
SELECT DATEDIFF(CAST(completed_date AS DATE), CAST(created_date AS DATE)) AS days, DATEDIFF(CAST(b AS DATE), CAST(CAST(a AS TIMESTAMP_NTZ) AS DATE)) AS d2 FROM t
