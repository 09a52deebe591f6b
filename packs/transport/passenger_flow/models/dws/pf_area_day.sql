-- Daily figures per area (每日客流): visits, peak occupancy and its time, the peak 15-minute
-- inflow, the highest alert, and the end-of-day residual left by the drift correction.
SELECT
    area_id,
    any_value(area_name) AS area_name,
    any_value(area_kind) AS area_kind,
    day,
    any_value(day_type) AS day_type,
    any_value(holiday) AS holiday,
    any_value(event_name) AS event_name,
    sum(inflow) AS inflow,
    sum(outflow) AS outflow,
    max(occupancy) AS peak_occupancy,
    -- the earliest slot at the peak (a day often peaks twice at the same count; arg_max alone
    -- would pick either, and two runs would disagree): slot < 96, so the key is exact
    arg_max(ts, occupancy * 100 - slot) AS peak_time,
    max(inflow) AS peak_inflow_15min,
    any_value(capacity) AS capacity,
    round(max(occupancy) / any_value(capacity), 4) AS peak_utilisation,
    max(alert_rank) AS max_alert_rank,
    CASE max(alert_rank) WHEN 3 THEN '红色预警' WHEN 2 THEN '橙色预警' WHEN 1 THEN '黄色预警' ELSE '正常' END
        AS max_alert_level,
    arg_max(occupancy, ts) AS end_of_day_residual,
    count(*) FILTER (WHERE drift_corrected) AS drift_corrected_slots
FROM dws.pf_area_15min
GROUP BY area_id, day
