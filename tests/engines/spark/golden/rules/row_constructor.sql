-- input (DuckDB)
SELECT row(a, b) IS DISTINCT FROM row(c, d) AS changed FROM t
-- expected (Spark)
SELECT STRUCT(a, b) IS DISTINCT FROM STRUCT(c, d) AS changed FROM t
