-- 质量核验汇总: per source, how many records pass each check of the natural person library.
SELECT
    source,
    count(*) AS records,
    count_if(id_valid) AS id_valid,
    count_if(id_upgraded) AS id_upgraded_15_to_18,
    count_if(sex_consistent IS FALSE) AS sex_inconsistent,
    count_if(birth_consistent IS FALSE) AS birth_inconsistent,
    count_if(phone IS NULL) AS phone_missing,
    count_if(phone_valid IS FALSE) AS phone_invalid,
    count_if(NOT name_is_han) AS name_not_han
FROM dwd.np_person_record
GROUP BY source
ORDER BY source
