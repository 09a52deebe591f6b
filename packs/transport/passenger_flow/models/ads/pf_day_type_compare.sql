-- Holidays against ordinary days (节假日与平日对比): mean daily visits, mean and highest peak
-- occupancy per day type, and each type's ratio to the workday mean.
-- Utilisations have 4 decimals: they are averaged as DECIMAL, an exact sum, because a sum of
-- doubles depends on the order the threads add them and rounding to 4 decimals then flips.
WITH by_type AS (
    SELECT area_id, any_value(area_name) AS area_name, day_type,
           count(*) AS days,
           avg(inflow) AS mean_daily_inflow,
           avg(peak_occupancy) AS mean_peak_occupancy,
           max(peak_occupancy) AS max_peak_occupancy,
           CAST(avg(CAST(peak_utilisation AS DECIMAL(18, 4))) AS DOUBLE) AS mean_peak_utilisation,
           count(*) FILTER (WHERE max_alert_rank > 0) AS alert_days
    FROM dws.pf_area_day
    GROUP BY area_id, day_type
)
SELECT
    b.area_id,
    b.area_name,
    b.day_type,
    b.days,
    round(b.mean_daily_inflow, 0) AS mean_daily_inflow,
    round(b.mean_peak_occupancy, 0) AS mean_peak_occupancy,
    b.max_peak_occupancy,
    round(b.mean_peak_utilisation, 4) AS mean_peak_utilisation,
    b.alert_days,
    round(b.mean_daily_inflow / nullif(w.mean_daily_inflow, 0), 2) AS ratio_to_workday
FROM by_type AS b
LEFT JOIN by_type AS w ON w.area_id = b.area_id AND w.day_type = '工作日'
