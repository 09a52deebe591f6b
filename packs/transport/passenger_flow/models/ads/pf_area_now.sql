-- Current state per area for emergency staff (应急 API): the latest slot's occupancy, utilisation
-- and alert, the last hour's inflow, today's peak so far, and the live forecast's maximum over the
-- next 4 hours with the alert it would reach.
WITH now AS (
    SELECT area_id, area_name, area_kind, ts, day, occupancy, capacity, utilisation, alert_level, lon, lat
    FROM dws.pf_area_15min
    QUALIFY row_number() OVER (PARTITION BY area_id ORDER BY ts DESC) = 1
),
last_hour AS (
    SELECT m.area_id, sum(m.inflow) AS inflow_last_hour, sum(m.outflow) AS outflow_last_hour
    FROM dws.pf_area_15min AS m JOIN now AS n ON n.area_id = m.area_id
    WHERE m.ts > n.ts - INTERVAL 1 HOUR
    GROUP BY m.area_id
),
-- Peaks are reported at their earliest slot: an empty area is at 0 all night, and arg_max over
-- ties picks any of them (two runs disagreed), so the ties are broken by time explicitly.
today AS (
    SELECT m.area_id, max(m.occupancy) AS peak_today, arg_max(m.ts, m.occupancy * 100 - m.slot) AS peak_time_today
    FROM dws.pf_area_15min AS m JOIN now AS n ON n.area_id = m.area_id AND m.day = n.day
    GROUP BY m.area_id
),
fc AS (
    SELECT area_id, forecast_occupancy AS forecast_peak_4h, target_ts AS forecast_peak_time
    FROM (
        SELECT area_id, forecast_occupancy, target_ts,
               row_number() OVER (PARTITION BY area_id ORDER BY forecast_occupancy DESC, target_ts) AS peak_rank
        FROM ads.pf_forecast
        WHERE is_live AND forecast_occupancy IS NOT NULL
    ) AS ranked
    WHERE peak_rank = 1
)
SELECT
    n.area_id,
    n.area_name,
    n.area_kind,
    n.ts AS as_of,
    n.occupancy,
    n.capacity,
    n.utilisation,
    n.alert_level,
    h.inflow_last_hour,
    h.outflow_last_hour,
    t.peak_today,
    t.peak_time_today,
    fc.forecast_peak_4h,
    fc.forecast_peak_time,
    CASE
        WHEN fc.forecast_peak_4h >= l.red_ratio * n.capacity THEN '红色预警'
        WHEN fc.forecast_peak_4h >= l.orange_ratio * n.capacity THEN '橙色预警'
        WHEN fc.forecast_peak_4h >= l.yellow_ratio * n.capacity THEN '黄色预警'
        ELSE '正常'
    END AS forecast_alert_level,
    n.lon,
    n.lat
FROM now AS n
LEFT JOIN last_hour AS h USING (area_id)
LEFT JOIN today AS t USING (area_id)
LEFT JOIN fc USING (area_id)
LEFT JOIN ods.pf_alert_level AS l USING (area_id)
