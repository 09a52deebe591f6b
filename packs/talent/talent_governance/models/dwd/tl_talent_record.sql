-- 人才记录: education and title mapped to the code tables; sealed person input columns for entity
-- resolution (the ID number stays sealed in ODS; tokens and checks were taken at ingest, pack.yaml).
SELECT
    'rc_talent' AS source,
    t.record_id,
    trim(t.name) AS name,
    t.id_number_token,  -- the platform's token of the ID as delivered: NULL only when none was given
    t.id_token,
    t.id17_token,
    t.id14,
    t.id_valid,
    t.id_birth,
    CAST(NULL AS DATE) AS birth_date,
    t.sex,
    CAST(NULL AS VARCHAR) AS phone,
    CAST(NULL AS VARCHAR) AS address,
    t.education AS education_raw,
    e.education,
    e.code AS education_code,
    t.title AS title_raw,
    tc.title,
    tc.code AS title_code,
    t.degree, t.major, t.salary_band, t.talent_type,
    uscc_normalize(t.uscc) AS employer_uscc,
    t.ent_name AS employer,
    parse_cn_date(t.arrival_date) AS arrival_date,
    t.origin,
    parse_cn_date(t.arrival_date) AS updated_at
FROM ods.tl_talent t
LEFT JOIN ods.tl_education_code e ON e.raw = trim(t.education)
LEFT JOIN ods.tl_title_code tc ON tc.raw = trim(t.title)
