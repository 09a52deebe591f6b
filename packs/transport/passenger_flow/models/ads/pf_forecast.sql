-- Short-term forecast of the next 4 hours (未来 4 小时客流预测): seasonal profile x recent level.
--
--   profile(area, day class, slot) = mean over the previous (at most 28) days of the same class
--       (工作日 / 休息日) of that slot's inflow and occupancy, from days strictly before the day
--       forecast, so every forecast is out of sample;
--   level(area, origin) = inflow of the last 2 hours up to the origin / the profile's inflow of
--       the same slots (1 when the profile is nearly empty; clamped to [0.25, 4]);
--   forecast(slot) = profile(slot) x level, for the 16 slots after the origin, same day only (the
--       areas empty overnight).
-- Origins: the end of every hour of the last 14 days (to measure the error, ads.pf_forecast_error)
-- and the latest slot received (the live forecast of ads.pf_area_now). Implemented in SQL; the
-- Python reference is lingshu.analysis.passenger.profile_level_forecast (tests compare the two).
WITH base AS (
    SELECT area_id, area_name, day, slot, ts, day_class, inflow, occupancy, capacity
    FROM dws.pf_area_15min
),
profiled AS (
    SELECT
        *,
        avg(inflow) OVER w AS profile_inflow,
        avg(occupancy) OVER w AS profile_occupancy,
        count(*) OVER w AS profile_days
    FROM base
    WINDOW w AS (PARTITION BY area_id, day_class, slot ORDER BY day ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING)
),
latest AS (SELECT max(ts) AS ts FROM base),
origins AS (
    SELECT p.area_id, p.day, p.slot AS origin_slot, p.ts AS origin_ts
    FROM profiled AS p, latest AS l
    WHERE p.profile_days > 0
      AND ((p.slot % 4 = 3 AND p.day > CAST(l.ts AS DATE) - INTERVAL 14 DAY) OR p.ts = l.ts)
),
levels AS (
    SELECT
        o.area_id, o.day, o.origin_slot, o.origin_ts,
        sum(p.inflow) AS recent_inflow,
        sum(p.profile_inflow) AS recent_profile_inflow,
        CASE WHEN sum(p.profile_inflow) < 8 THEN 1.0
             ELSE least(4.0, greatest(0.25, sum(p.inflow) / sum(p.profile_inflow))) END AS level
    FROM origins AS o
    JOIN profiled AS p ON p.area_id = o.area_id AND p.day = o.day
                      AND p.slot BETWEEN o.origin_slot - 7 AND o.origin_slot
    GROUP BY ALL
)
SELECT
    l.area_id,
    t.area_name,
    l.origin_ts,
    t.ts AS target_ts,
    t.slot - l.origin_slot AS horizon,
    (t.slot - l.origin_slot + 3) // 4 AS horizon_hour,
    round(l.level, 4) AS level,
    round(t.profile_inflow * l.level, 1) AS forecast_inflow,
    round(t.profile_occupancy * l.level, 1) AS forecast_occupancy,
    round(t.profile_occupancy, 1) AS profile_occupancy,
    round(t.profile_occupancy * l.level / t.capacity, 4) AS forecast_utilisation,
    t.inflow AS actual_inflow,
    t.occupancy AS actual_occupancy,
    l.origin_ts = (SELECT ts FROM latest) AS is_live,
    '同类日分时段画像 × 近2小时水平（季节画像×近期水平）' AS method
FROM levels AS l
JOIN profiled AS t ON t.area_id = l.area_id AND t.day = l.day
                  AND t.slot BETWEEN l.origin_slot + 1 AND l.origin_slot + 16
