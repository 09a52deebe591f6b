-- input (DuckDB)
SELECT regexp_full_match(code, '[0-9]{6}') AS ok FROM t
-- expected (Spark)
SELECT code RLIKE CONCAT('^(?:', '[0-9]{6}', ')\\z') AS ok FROM t
