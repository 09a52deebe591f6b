-- input (DuckDB)
SELECT count(*) AS n, count(DISTINCT a) AS d, count_if(a > 1) AS c, sum(x) AS s, avg(x) AS m, min(x) AS lo, max(x) AS hi, median(x) AS med, arg_max(a, x) AS top FROM t
-- expected (Spark)
SELECT COUNT(*) AS n, COUNT(DISTINCT a) AS d, COUNT_IF(a > 1) AS c, SUM(x) AS s, AVG(x) AS m, MIN(x) AS lo, MAX(x) AS hi, MEDIAN(x) AS med, MAX_BY(a, x) AS top FROM t
