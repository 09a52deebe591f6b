-- Clean enterprise list (数据治理库表): standardized codes and town names, one row per credit code
-- (the most recent registration). The standardizers are the platform's SQL functions (lingshu.govern).
SELECT
    uscc_normalize(uscc) AS uscc,
    trim(name) AS name,
    coalesce(lingang_town(trim(town)), trim(town)) AS town,
    capital_wan,
    registered_on
FROM ods.example_enterprise
QUALIFY row_number() OVER (PARTITION BY uscc_normalize(uscc) ORDER BY registered_on DESC NULLS LAST) = 1
