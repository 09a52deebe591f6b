-- input (DuckDB)
SELECT date_trunc('month', d) AS m, strftime(d, '%Y-%m') AS ym, year(d) AS y, current_date AS today, d + INTERVAL 1 DAY AS next FROM t
-- expected (Spark)
SELECT DATE_TRUNC('MONTH', d) AS m, DATE_FORMAT(d, 'yyyy-MM') AS ym, YEAR(d) AS y, CURRENT_DATE AS today, d + INTERVAL '1' DAY AS next FROM t
