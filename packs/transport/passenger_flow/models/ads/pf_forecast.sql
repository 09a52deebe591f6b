-- Short-term forecast of the next 4 hours (未来 4 小时客流预测): seasonal profile x recent level.
--
--   profile(area, day class, slot) = mean over the previous (at most 28) days of the same class
--       (工作日 / 休息日) of that slot's inflow and occupancy, from days strictly before the day
--       forecast, so every forecast is out of sample;
--   level(area, origin) = inflow of the last 2 hours up to the origin / the profile's inflow of
--       the same slots (1 when the profile is nearly empty; clamped to [0.25, 4]);
--   forecast(slot) = profile(slot) x level, for the 16 slots after the origin (each target slot
--       takes the profile of its own day's class, so a forecast may run past midnight).
-- Origins: the end of every hour of the last 14 days (to measure the error, ads.pf_forecast_error)
-- and the latest slot received (the live forecast of ads.pf_area_now). Implemented in SQL; the
-- Python reference is lingshu.analysis.passenger.profile_level_forecast (tests compare the two).
WITH base AS (
    SELECT area_id, ts, inflow, occupancy FROM dws.pf_area_15min
),
areas AS (SELECT DISTINCT area_id, area_name, capacity FROM dws.pf_area_15min),
latest AS (SELECT max(ts) AS ts FROM base),
-- every slot of every area from the first day to the day after the latest data: the future slots
-- of the live forecast get a profile too (the forecast may run past midnight)
spine AS (
    SELECT a.area_id, a.area_name, a.capacity, t.ts
    FROM areas AS a,
         (SELECT unnest(generate_series(min(ts)::DATE::TIMESTAMP, max(ts)::DATE::TIMESTAMP + INTERVAL 2 DAY
                                        - INTERVAL 15 MINUTE, INTERVAL 15 MINUTE)) AS ts FROM base) AS t
),
profiled AS (
    SELECT
        s.*,
        CAST(s.ts AS DATE) AS day,
        hour(s.ts) * 4 + minute(s.ts) // 15 AS slot,
        b.inflow,
        b.occupancy,
        avg(b.inflow) OVER w AS profile_inflow,
        avg(b.occupancy) OVER w AS profile_occupancy,
        count(b.inflow) OVER w AS profile_days
    FROM spine AS s
    LEFT JOIN base AS b USING (area_id, ts)
    WINDOW w AS (PARTITION BY s.area_id, CASE WHEN cn_day_type(CAST(s.ts AS DATE)) = '工作日' THEN 1 ELSE 0 END,
                              hour(s.ts) * 4 + minute(s.ts) // 15
                 ORDER BY s.ts ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING)
),
origins AS (
    SELECT p.area_id, p.ts AS origin_ts
    FROM profiled AS p, latest AS l
    WHERE p.inflow IS NOT NULL AND p.profile_days > 0
      AND ((p.slot % 4 = 3 AND p.day > CAST(l.ts AS DATE) - INTERVAL 14 DAY) OR p.ts = l.ts)
),
-- The profile is summed as DECIMAL: a sum of doubles depends on the order the engine adds them
-- in, and the forecasts are rounded to 0.1, so two runs (or two engines) gave 49.2 and 49.3 for the
-- same slot. A decimal sum is exact, hence the same every time; the ratio is then taken in DOUBLE.
levels AS (
    SELECT
        o.area_id, o.origin_ts,
        sum(p.inflow) AS recent_inflow,
        sum(CAST(p.profile_inflow AS DECIMAL(18, 6))) AS recent_profile_inflow
    FROM origins AS o
    JOIN profiled AS p ON p.area_id = o.area_id
                      AND p.ts BETWEEN o.origin_ts - INTERVAL 105 MINUTE AND o.origin_ts
    GROUP BY o.area_id, o.origin_ts
),
leveled AS (
    SELECT
        area_id, origin_ts,
        CASE WHEN coalesce(recent_profile_inflow, 0) < 8 THEN 1.0
             ELSE least(4.0, greatest(0.25, CAST(recent_inflow AS DOUBLE) / CAST(recent_profile_inflow AS DOUBLE)))
        END AS level
    FROM levels
)
SELECT
    l.area_id,
    t.area_name,
    l.origin_ts,
    t.ts AS target_ts,
    CAST(epoch(t.ts - l.origin_ts) AS INTEGER) // 900 AS horizon,
    (CAST(epoch(t.ts - l.origin_ts) AS INTEGER) // 900 + 3) // 4 AS horizon_hour,
    round(l.level, 4) AS level,
    round(t.profile_inflow * l.level, 1) AS forecast_inflow,
    round(t.profile_occupancy * l.level, 1) AS forecast_occupancy,
    round(t.profile_occupancy, 1) AS profile_occupancy,
    round(t.profile_occupancy * l.level / t.capacity, 4) AS forecast_utilisation,
    t.inflow AS actual_inflow,
    t.occupancy AS actual_occupancy,
    l.origin_ts = (SELECT ts FROM latest) AS is_live,
    '同类日分时段画像 × 近2小时水平（季节画像×近期水平）' AS method
FROM leveled AS l
JOIN profiled AS t ON t.area_id = l.area_id
                  AND t.ts > l.origin_ts AND t.ts <= l.origin_ts + INTERVAL 4 HOUR
WHERE t.profile_days > 0
