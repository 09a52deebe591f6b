-- Inspection timeliness (巡检及时性): the gap since the segment's previous inspection, against the
-- maximum interval of its road class. A late inspection is one that came after the interval had
-- passed: the segment was overdue for (gap - interval) days before it.
SELECT
    i.inspection_id,
    i.segment_id,
    s.road_id,
    s.road_name,
    s.road_class,
    s.town,
    i.inspect_date,
    lag(i.inspect_date) OVER (PARTITION BY i.segment_id ORDER BY i.inspect_date, i.inspection_id) AS previous_date,
    datediff('day', lag(i.inspect_date) OVER (PARTITION BY i.segment_id ORDER BY i.inspect_date, i.inspection_id),
             i.inspect_date) AS gap_days,
    p.max_interval_days,
    coalesce(datediff('day', lag(i.inspect_date) OVER (PARTITION BY i.segment_id ORDER BY i.inspect_date, i.inspection_id),
                      i.inspect_date) > p.max_interval_days, false) AS late
FROM dwd.road_inspection AS i
JOIN dwd.road_segment AS s ON s.segment_id = i.segment_id
LEFT JOIN ods.road_inspection_policy AS p ON p.road_class = s.road_class
