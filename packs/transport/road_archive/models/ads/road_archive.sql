-- 一路一档: one row per road with everything the archive page shows: base facts, segments,
-- condition (length-weighted PCI, worst segment), facilities by type, inspections, distress,
-- orders and overdue segments.
WITH seg AS (
    SELECT road_id, count(*) AS segments, sum(length_m) AS segment_length_m,
           round(sum(pci * length_m) / nullif(sum(length_m) FILTER (WHERE pci IS NOT NULL), 0), 2) AS pci_weighted,
           min(pci) AS pci_min,
           arg_min(segment_id, pci) AS worst_segment_id,
           count(*) FILTER (WHERE pci_grade IN ('优', '良')) AS segments_good,
           count(*) FILTER (WHERE inspection_overdue) AS segments_overdue,
           max(last_inspect_date) AS last_inspect_date,
           sum(open_orders) AS open_orders
    FROM dws.road_segment_condition
    GROUP BY road_id
),
fac AS (
    SELECT road_id, count(*) AS facilities,
           count(*) FILTER (WHERE facility_type = '路灯') AS lamps,
           count(*) FILTER (WHERE facility_type = '窨井盖') AS manholes,
           count(*) FILTER (WHERE facility_type = '交通标志') AS signs,
           count(*) FILTER (WHERE facility_type = '护栏') AS guardrails,
           count(*) FILTER (WHERE condition <> '完好') AS facilities_damaged
    FROM dwd.road_facility
    GROUP BY road_id
),
ins AS (
    SELECT road_id, count(*) AS inspections FROM dwd.road_inspection GROUP BY road_id
),
dis AS (
    SELECT road_id, count(*) AS distress_records, round(sum(area_m2), 1) AS distress_area_m2
    FROM dwd.road_distress GROUP BY road_id
),
ord AS (
    SELECT road_id, count(*) AS orders FROM dwd.road_maintenance_order GROUP BY road_id
)
SELECT
    r.road_id,
    r.road_name,
    r.road_class,
    r.length_m,
    r.geom_length_m,
    r.width_m,
    r.lanes,
    r.pavement_type,
    r.year_built,
    r.maintenance_unit,
    r.speed_limit_kmh,
    r.home_town,
    coalesce(seg.segments, 0) AS segments,
    seg.pci_weighted,
    jtg5210_grade(seg.pci_weighted) AS pci_grade,
    seg.pci_min,
    seg.worst_segment_id,
    seg.segments_good,
    seg.segments_overdue,
    seg.last_inspect_date,
    coalesce(fac.facilities, 0) AS facilities,
    coalesce(fac.lamps, 0) AS lamps,
    coalesce(fac.manholes, 0) AS manholes,
    coalesce(fac.signs, 0) AS signs,
    coalesce(fac.guardrails, 0) AS guardrails,
    coalesce(fac.facilities_damaged, 0) AS facilities_damaged,
    coalesce(ins.inspections, 0) AS inspections,
    coalesce(dis.distress_records, 0) AS distress_records,
    coalesce(dis.distress_area_m2, 0) AS distress_area_m2,
    coalesce(ord.orders, 0) AS orders,
    coalesce(seg.open_orders, 0) AS open_orders,
    'JTG 5210-2018' AS standard_version,
    r.wkt
FROM dwd.road_register AS r
LEFT JOIN seg USING (road_id)
LEFT JOIN fac USING (road_id)
LEFT JOIN ins USING (road_id)
LEFT JOIN dis USING (road_id)
LEFT JOIN ord USING (road_id)
