-- Inspections (巡查检测): one row per survey of a segment, with the surveyed area A of the PCI.
SELECT
    i.inspection_id,
    i.segment_id,
    s.road_id,
    i.inspect_date,
    trim(i.method) AS method,
    coalesce(i.surveyed_area_m2, s.area_m2) AS surveyed_area_m2,
    i.surveyed_area_m2 IS NULL AS area_from_register,
    trim(i.inspector) AS inspector
FROM ods.road_inspection AS i
LEFT JOIN dwd.road_segment AS s ON s.segment_id = i.segment_id
