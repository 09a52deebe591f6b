-- 自然人记录: both sources in the sealed person input columns of entity resolution (record_id,
-- source, name, id_token, id17_token, id14, birth_date, sex, phone, address, updated_at), with
-- per-record quality verdicts. The ID number itself stays sealed in ODS: its checks were taken
-- from the plaintext at ingest (pack.yaml, derive:) and are read here.
WITH unioned AS (
    SELECT 'ga_population' AS source, record_id, name, id_token, id17_token, id14, id_valid, id_upgraded,
           id_sex, id_birth, sex, birth_date AS raw_birth, phone, address, community_id, ethnicity, hukou_type,
           CAST(NULL AS DATE) AS updated_at
    FROM ods.np_ga_population
    UNION ALL
    SELECT 'sq_resident', record_id, name, id_token, id17_token, id14, id_valid, id_upgraded,
           id_sex, id_birth, gender, birthday, mobile, address, community_id, NULL, NULL, parse_cn_date(reg_date)
    FROM ods.np_sq_resident
)
SELECT
    source, record_id, name, id_token, id17_token, id14,
    parse_cn_date(raw_birth) AS birth_date,
    sex, id_sex, phone, address, community_id, ethnicity, hukou_type, updated_at,
    id_valid,
    id_upgraded,
    -- consistency with the ID number (NULL when the ID is not valid: nothing to compare with)
    CASE WHEN id_valid THEN (CASE id_sex WHEN 'M' THEN '男' ELSE '女' END) = sex END AS sex_consistent,
    CASE WHEN id_valid THEN id_birth = parse_cn_date(raw_birth) END AS birth_consistent,
    is_valid_phone(phone) AS phone_valid,
    regexp_full_match(trim(name), '[一-龥·]{2,10}') AS name_is_han
FROM unioned
