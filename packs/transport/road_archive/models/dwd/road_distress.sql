-- Distress records (路面病害) with their JTG 5210-2018 weight. The pavement type is the segment's
-- (the register is the truth); a severity the standard does not list for the type is mapped
-- upward (see lingshu.analysis.pavement) and flagged so the survey team can correct the source.
SELECT
    d.distress_id,
    d.inspection_id,
    i.segment_id,
    i.road_id,
    i.inspect_date,
    s.pavement_type,
    trim(d.distress_type) AS distress_type,
    trim(d.severity) AS severity,
    d.area_m2,
    jtg5210_weight(s.pavement_type, d.distress_type, d.severity) AS weight,
    trim(d.severity) = '中' AND jtg5210_levels(s.pavement_type, d.distress_type) = 2 AS severity_mapped_up,
    jtg5210_pavement(d.pavement_type) IS DISTINCT FROM s.pavement_type AS pavement_disagrees
FROM ods.road_distress AS d
JOIN dwd.road_inspection AS i ON i.inspection_id = d.inspection_id
LEFT JOIN dwd.road_segment AS s ON s.segment_id = i.segment_id
