-- input (DuckDB)
SELECT MAP {'a': 1, 'b': 2} AS m
-- expected (Spark)
SELECT MAP('a', 1, 'b', 2) AS m
