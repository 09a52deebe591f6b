-- input (DuckDB)
SELECT count(*) FILTER (WHERE o.__o IS NULL) AS inserted FROM t AS o
-- expected (Spark)
SELECT COUNT(*) FILTER(WHERE o.__o IS NULL) AS inserted FROM t AS o
