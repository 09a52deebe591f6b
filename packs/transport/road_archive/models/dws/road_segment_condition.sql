-- Latest condition and inspection status per segment (路段最新路况). The reference date is the
-- latest inspection in the data: the synthetic world is a fixed history, so "today" would make
-- every segment overdue; in production the day's data arrives daily and the two coincide.
WITH ranked AS (
    SELECT *, row_number() OVER (PARTITION BY segment_id ORDER BY inspect_date DESC, inspection_id DESC) AS k
    FROM dws.road_segment_pci
),
as_of AS (SELECT max(inspect_date) AS as_of_date FROM dwd.road_inspection),
open_orders AS (
    SELECT segment_id, count(*) AS open_orders FROM dwd.road_maintenance_order WHERE is_open GROUP BY segment_id
)
SELECT
    s.segment_id,
    s.road_id,
    s.road_name,
    s.road_class,
    s.town,
    s.length_m,
    s.lanes,
    s.pavement_type,
    cur.inspection_id AS last_inspection_id,
    cur.inspect_date AS last_inspect_date,
    cur.pci,
    coalesce(cur.pci_grade, '未检测') AS pci_grade,
    prev.pci AS previous_pci,
    round(cur.pci - prev.pci, 2) AS pci_change,
    cur.method,
    cur.standard_version,
    a.as_of_date,
    datediff('day', cur.inspect_date, a.as_of_date) AS days_since_inspection,
    p.max_interval_days,
    p.class_weight,
    coalesce(datediff('day', cur.inspect_date, a.as_of_date) > p.max_interval_days, true) AS inspection_overdue,
    coalesce(o.open_orders, 0) AS open_orders
FROM dwd.road_segment AS s
CROSS JOIN as_of AS a
LEFT JOIN ranked AS cur ON cur.segment_id = s.segment_id AND cur.k = 1
LEFT JOIN ranked AS prev ON prev.segment_id = s.segment_id AND prev.k = 2
LEFT JOIN ods.road_inspection_policy AS p ON p.road_class = s.road_class
LEFT JOIN open_orders AS o ON o.segment_id = s.segment_id
