-- Overdue inspections (超期未检): segments overdue now (last inspection older than the class's
-- maximum interval at the reference date) and segments inspected late within the last year.
WITH late_last_year AS (
    SELECT g.segment_id, count(*) AS late_inspections, max(g.gap_days - g.max_interval_days) AS worst_days_late
    FROM dws.road_inspection_gap AS g
    JOIN dws.road_segment_condition AS c USING (segment_id)
    WHERE g.late AND g.inspect_date > c.as_of_date - INTERVAL 365 DAY
    GROUP BY g.segment_id
)
SELECT
    c.segment_id,
    c.road_id,
    c.road_name,
    c.road_class,
    c.town,
    CASE WHEN c.inspection_overdue THEN '当前超期' ELSE '近一年曾超期' END AS overdue_status,
    c.last_inspect_date,
    c.days_since_inspection,
    c.max_interval_days,
    greatest(c.days_since_inspection - c.max_interval_days, 0) AS days_overdue,
    coalesce(l.late_inspections, 0) AS late_inspections_last_year,
    l.worst_days_late,
    c.pci,
    c.pci_grade,
    c.as_of_date
FROM dws.road_segment_condition AS c
LEFT JOIN late_last_year AS l USING (segment_id)
WHERE c.inspection_overdue OR l.segment_id IS NOT NULL
