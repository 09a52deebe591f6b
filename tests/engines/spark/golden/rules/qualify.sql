-- input (DuckDB)
SELECT uscc_normalize(uscc) AS uscc, trim(name) AS name FROM ods.e QUALIFY row_number() OVER (PARTITION BY uscc_normalize(uscc) ORDER BY registered_on DESC NULLS LAST) = 1
-- expected (Spark)
SELECT `__q`.`uscc`, `__q`.`name` FROM (SELECT USCC_NORMALIZE(uscc) AS uscc, TRIM(name) AS name, ROW_NUMBER() OVER (PARTITION BY USCC_NORMALIZE(uscc) ORDER BY registered_on DESC) = 1 AS __lingshu_qualify FROM ods.e) AS __q WHERE __q.__lingshu_qualify
