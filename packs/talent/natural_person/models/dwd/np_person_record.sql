-- 自然人记录: both sources in the person input columns of entity resolution (record_id, source,
-- name, id_no, birth_date, sex, phone, address, updated_at), with per-record quality verdicts.
WITH unioned AS (
    SELECT 'ga_population' AS source, record_id, name, id_number AS raw_id, sex, birth_date AS raw_birth,
           phone, address, community_id, ethnicity, hukou_type, CAST(NULL AS DATE) AS updated_at
    FROM ods.np_ga_population
    UNION ALL
    SELECT 'sq_resident', record_id, name, cert_no, gender, birthday, mobile, address, community_id,
           NULL, NULL, parse_cn_date(reg_date)
    FROM ods.np_sq_resident
)
SELECT
    source, record_id, name,
    coalesce(id_normalize(raw_id), raw_id) AS id_no,
    parse_cn_date(raw_birth) AS birth_date,
    sex, phone, address, community_id, ethnicity, hukou_type, updated_at,
    is_valid_id(raw_id) AS id_valid,
    length(trim(raw_id)) = 15 AS id_upgraded,
    -- consistency with the ID number (NULL when the ID is not valid: nothing to compare with)
    CASE WHEN is_valid_id(raw_id) THEN (CASE id_sex(raw_id) WHEN 'M' THEN '男' ELSE '女' END) = sex END AS sex_consistent,
    CASE WHEN is_valid_id(raw_id) THEN id_birth_date(raw_id) = parse_cn_date(raw_birth) END AS birth_consistent,
    is_valid_phone(phone) AS phone_valid,
    regexp_full_match(trim(name), '[一-龥·]{2,10}') AS name_is_han
FROM unioned
