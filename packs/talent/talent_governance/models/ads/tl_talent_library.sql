-- 人才库: one row per person, with the age band used by the youth-talent scenario (the birth date is
-- the ID's, taken before the ID was sealed).
-- Age in calendar years (this year minus the birth year), as DuckDB's date_diff('year', ...) counts;
-- written with year() so it means the same on every engine (Spark's datediff counts whole years).
-- The sealed ID number is the one of the record the golden ID token came from (id_token_src, a
-- record key 'rc_talent:<序号>'), re-sealed for this table (pack.yaml, sealed_from).
SELECT
    g.*,
    o.id_number,
    year(current_date) - year(g.birth_date) AS age,
    CASE WHEN year(current_date) - year(g.birth_date) <= 35 THEN '35岁及以下' ELSE '35岁以上' END AS age_band
FROM dwd.tl_talent_golden g
LEFT JOIN ods.tl_talent o ON 'rc_talent:' || CAST(o.record_id AS VARCHAR) = g.id_token_src
