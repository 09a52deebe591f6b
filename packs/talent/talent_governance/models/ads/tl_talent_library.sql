-- 人才库: one row per person, with the age band used by the youth-talent scenario.
SELECT
    g.*,
    date_diff('year', id_birth_date(g.id_no), current_date) AS age,
    CASE WHEN date_diff('year', id_birth_date(g.id_no), current_date) <= 35 THEN '35岁及以下' ELSE '35岁以上' END AS age_band
FROM dwd.tl_talent_golden g
