-- Pavement condition per inspection (每次检测的 PCI), JTG 5210-2018:
--   DR = 100 * sum(w_i * A_i) / A (%), PCI = 100 - a0 * DR^a1 (a0, a1 by pavement type).
-- An inspection without distress has DR = 0 and PCI = 100. The method and the standard version
-- are stored with every score; urban roads say they were computed with the JTG 5210 formula
-- because the CJJ 36-2016 deduct-value tables are not available yet.
WITH weighted AS (
    SELECT inspection_id, count(*) AS distress_count, sum(weight * area_m2) AS weighted_area_m2,
           sum(area_m2) AS distress_area_m2
    FROM dwd.road_distress
    GROUP BY inspection_id
)
SELECT
    i.inspection_id,
    i.segment_id,
    s.road_id,
    s.road_name,
    s.road_class,
    s.town,
    s.length_m,
    s.pavement_type,
    i.inspect_date,
    i.method AS inspect_method,
    i.surveyed_area_m2,
    coalesce(w.distress_count, 0) AS distress_count,
    coalesce(w.distress_area_m2, 0) AS distress_area_m2,
    coalesce(w.weighted_area_m2, 0) AS weighted_area_m2,
    round(least(100, 100 * coalesce(w.weighted_area_m2, 0) / i.surveyed_area_m2), 4) AS dr,
    jtg5210_pci(least(100, 100 * coalesce(w.weighted_area_m2, 0) / i.surveyed_area_m2), s.pavement_type) AS pci,
    jtg5210_grade(jtg5210_pci(least(100, 100 * coalesce(w.weighted_area_m2, 0) / i.surveyed_area_m2),
                              s.pavement_type)) AS pci_grade,
    'JTG 5210-2018 PCI = 100 - a0*DR^a1' AS method,
    'JTG 5210-2018' AS standard_version,
    'JTG 5210-2018 公式计算（城市道路 CJJ 36-2016 方法待定）' AS method_note
FROM dwd.road_inspection AS i
JOIN dwd.road_segment AS s ON s.segment_id = i.segment_id
LEFT JOIN weighted AS w ON w.inspection_id = i.inspection_id
WHERE i.surveyed_area_m2 > 0
