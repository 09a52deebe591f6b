-- 法人库: golden records with the dimensions of the library's indicators.
SELECT
    g.*,
    industry_name(g.industry_section) AS industry_section_name,
    year(g.established) AS established_year,
    CASE
        WHEN g.capital_yuan IS NULL THEN '未知'
        WHEN g.capital_yuan < 1000000 THEN '100万元以下'
        WHEN g.capital_yuan < 10000000 THEN '100万-1000万元'
        WHEN g.capital_yuan < 50000000 THEN '1000万-5000万元'
        WHEN g.capital_yuan < 100000000 THEN '5000万-1亿元'
        ELSE '1亿元及以上'
    END AS capital_band,
    coalesce(g.town, '未识别') AS town_name
FROM dwd.lp_enterprise_golden g
