-- input (DuckDB)
SELECT coalesce(a, b) AS a, nullif(a, '') AS b, CASE WHEN x > 0 THEN 'p' ELSE 'n' END AS c, greatest(a, b) AS d, TRY_CAST(s AS INTEGER) AS e, CAST(s AS DECIMAL(18,2)) AS f, s::DATE AS g FROM t
-- expected (Spark)
SELECT COALESCE(a, b) AS a, NULLIF(a, '') AS b, CASE WHEN x > 0 THEN 'p' ELSE 'n' END AS c, GREATEST(a, b) AS d, TRY_CAST(s AS INT) AS e, CAST(s AS DECIMAL(18, 2)) AS f, CAST(s AS DATE) AS g FROM t
