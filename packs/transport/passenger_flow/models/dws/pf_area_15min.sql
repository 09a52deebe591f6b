-- Occupancy (在园/在站人数), capacity utilisation and alert level per area per 15 minutes.
--
-- Occupancy is the running balance of inflow - outflow from the start of the day: the key areas
-- close or empty overnight, so each day starts from zero and a counting error never carries over
-- to the next day. Drift correction (our choice, see lingshu.analysis.passenger): when the raw
-- balance goes negative (exits over-counted or entries missed), the shortfall is taken as missed
-- entries, i.e. occupancy_t = max(0, occupancy_{t-1} + in_t - out_t). Closed form, vectorized:
--   occupancy = raw - least(0, running minimum of raw).
-- What is left at the end of the day (entries never seen leaving) is reported as residual, not
-- spread back over the day.
WITH balance AS (
    SELECT
        *,
        CAST(sum(coalesce(inflow, 0) - coalesce(outflow, 0))
            OVER (PARTITION BY area_id, day ORDER BY ts ROWS UNBOUNDED PRECEDING) AS BIGINT) AS occupancy_raw
    FROM dwd.pf_flow
),
corrected AS (
    SELECT
        *,
        occupancy_raw - least(0, min(occupancy_raw)
            OVER (PARTITION BY area_id, day ORDER BY ts ROWS UNBOUNDED PRECEDING)) AS occupancy
    FROM balance
)
SELECT
    c.area_id,
    c.area_name,
    c.area_kind,
    c.ts,
    c.day,
    c.slot,
    hour(c.ts) AS hour,
    c.day_type,
    c.day_class,
    c.holiday,
    c.event_name,
    coalesce(c.inflow, 0) AS inflow,
    coalesce(c.outflow, 0) AS outflow,
    c.occupancy_raw,
    c.occupancy,
    c.occupancy <> c.occupancy_raw AS drift_corrected,
    a.capacity,
    round(c.occupancy / a.capacity, 4) AS utilisation,
    CASE
        WHEN c.occupancy >= l.red_ratio * a.capacity THEN '红色预警'
        WHEN c.occupancy >= l.orange_ratio * a.capacity THEN '橙色预警'
        WHEN c.occupancy >= l.yellow_ratio * a.capacity THEN '黄色预警'
        ELSE '正常'
    END AS alert_level,
    CASE
        WHEN c.occupancy >= l.red_ratio * a.capacity THEN 3
        WHEN c.occupancy >= l.orange_ratio * a.capacity THEN 2
        WHEN c.occupancy >= l.yellow_ratio * a.capacity THEN 1
        ELSE 0
    END AS alert_rank,
    a.lon,
    a.lat
FROM corrected AS c
JOIN ods.pf_area AS a ON a.area_id = c.area_id
LEFT JOIN ods.pf_alert_level AS l ON l.area_id = c.area_id
