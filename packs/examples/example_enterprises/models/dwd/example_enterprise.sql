-- Clean enterprise list: trimmed names, one row per credit code (the most recent registration).
SELECT
    upper(trim(uscc)) AS uscc,
    trim(name) AS name,
    trim(town) AS town,
    capital_wan,
    registered_on
FROM ods.example_enterprise
QUALIFY row_number() OVER (PARTITION BY upper(trim(uscc)) ORDER BY registered_on DESC NULLS LAST) = 1
