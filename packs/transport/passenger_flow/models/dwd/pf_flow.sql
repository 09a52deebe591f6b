-- Passenger counts per key area per 15 minutes (进出客流), cleaned: a negative count is a device
-- error, set to NULL and flagged (then counted as 0 in the balance); one row per area and slot;
-- day type from the official calendar (cn_day_type) and the large events of the day.
SELECT
    f.area_id,
    coalesce(a.area_name, trim(f.area_name)) AS area_name,
    a.kind AS area_kind,
    f.period_start AS ts,
    CAST(f.period_start AS DATE) AS day,
    hour(f.period_start) * 4 + minute(f.period_start) // 15 AS slot,
    CASE WHEN f.inflow >= 0 THEN f.inflow END AS inflow,
    CASE WHEN f.outflow >= 0 THEN f.outflow END AS outflow,
    f.inflow < 0 OR f.outflow < 0 AS negative_count,
    trim(f.data_source) AS data_source,
    cn_day_type(CAST(f.period_start AS DATE)) AS day_type,
    CASE WHEN cn_day_type(CAST(f.period_start AS DATE)) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class,
    cn_holiday(CAST(f.period_start AS DATE)) AS holiday,
    e.event_name
FROM ods.pf_flow AS f
LEFT JOIN ods.pf_area AS a ON a.area_id = f.area_id
LEFT JOIN ods.pf_event AS e ON e.event_date = CAST(f.period_start AS DATE) AND e.area_id = f.area_id
-- event_name breaks the tie when two events share the area and day (the join repeats the row)
QUALIFY row_number() OVER (PARTITION BY f.area_id, f.period_start ORDER BY f._row_number DESC, e.event_name) = 1
