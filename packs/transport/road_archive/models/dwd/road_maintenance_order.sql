-- Maintenance orders (维修工单) with their road and how long they took or have been open.
SELECT
    o.order_id,
    o.distress_id,
    o.segment_id,
    s.road_id,
    s.road_name,
    o.created_date,
    o.completed_date,
    trim(o.status) AS status,
    o.completed_date IS NULL AS is_open,
    datediff('day', o.created_date, o.completed_date) AS days_to_complete
FROM ods.road_maintenance_order AS o
LEFT JOIN dwd.road_segment AS s ON s.segment_id = o.segment_id
