-- input (DuckDB)
SELECT list(x) AS xs FROM t
-- expected (Spark)
SELECT TRANSFORM(COLLECT_LIST(STRUCT(x AS v)), s -> s.v) AS xs FROM t
