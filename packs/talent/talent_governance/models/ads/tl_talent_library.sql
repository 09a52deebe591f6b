-- 人才库: one row per person, with the age band used by the youth-talent scenario.
-- Age in calendar years (this year minus the birth year), as DuckDB's date_diff('year', ...) counts;
-- written with year() so it means the same on every engine (Spark's datediff counts whole years).
SELECT
    g.*,
    year(current_date) - year(id_birth_date(g.id_no)) AS age,
    CASE WHEN year(current_date) - year(id_birth_date(g.id_no)) <= 35 THEN '35岁及以下' ELSE '35岁以上' END AS age_band
FROM dwd.tl_talent_golden g
