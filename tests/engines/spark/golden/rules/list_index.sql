-- input (DuckDB)
SELECT xs[1] AS first, xs[-1] AS last, xs[i] AS ith FROM t
-- expected (Spark)
SELECT TRY_ELEMENT_AT(xs, 1) AS first, TRY_ELEMENT_AT(xs, -1) AS last, TRY_ELEMENT_AT(xs, i) AS ith FROM t
