-- input (DuckDB)
SELECT round(a * b, 1) AS area, round(a + b / c, 2) AS x2, round(x) AS x0, round(x, 0) AS x00, round(x, -1) AS tens, round(avg(y) FILTER (WHERE y > 0), 3) AS y3 FROM t
-- expected (Spark)
SELECT ROUND(ROUND((a * b) * 10, 0) / 10, 1) AS area, ROUND(ROUND((a + b / c) * 100, 0) / 100, 2) AS x2, ROUND(x) AS x0, ROUND(x, 0) AS x00, ROUND(x, -1) AS tens, ROUND(ROUND((AVG(y) FILTER(WHERE y > 0)) * 1000, 0) / 1000, 3) AS y3 FROM t
