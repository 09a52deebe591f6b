-- input (DuckDB)
SELECT trim(s) AS a, lower(s) AS b, upper(s) AS c, length(s) AS d, substring(s, 2, 3) AS e, s || 'x' AS f, concat_ws('-', a, b) AS g, replace(s, 'a', 'b') AS h, regexp_extract(s, '([0-9]+)', 1) AS i, translate(s, 'ａ', 'a') AS j FROM t
-- expected (Spark)
SELECT TRIM(s) AS a, LOWER(s) AS b, UPPER(s) AS c, LENGTH(s) AS d, SUBSTRING(s, 2, 3) AS e, s || 'x' AS f, CONCAT_WS('-', a, b) AS g, REPLACE(s, 'a', 'b') AS h, REGEXP_EXTRACT(s, '([0-9]+)') AS i, TRANSLATE(s, 'ａ', 'a') AS j FROM t
