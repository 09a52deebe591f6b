-- input (DuckDB)
SELECT len(list(x)) AS n, array_length(xs) AS m FROM t
-- expected (Spark)
SELECT SIZE(TRANSFORM(COLLECT_LIST(STRUCT(x AS v)), s -> s.v)) AS n, SIZE(xs) AS m FROM t
