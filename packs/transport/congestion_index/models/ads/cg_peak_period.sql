-- Peak periods (高峰时段) of the whole network per day class: the hour (four consecutive 15-minute
-- intervals) with the highest mean TPI in the morning (06:00-12:00) and in the afternoon/evening
-- (12:00-24:00) of the average day, and how many of its intervals reach 轻度拥堵 (TPI >= 4).
-- A time of day is an integer minute since midnight (hour * 60 + minute), not a TIME: that runs the
-- same on every engine (Spark has no TIME with interval RANGE frames) and the hour that starts at
-- 23:00 ends at minute 1440 ('24:00'), not at 00:00 of the same day. start_slot/end_slot are the
-- same minutes as 'HH:MM' text for display (end exclusive).
WITH profile AS (
    SELECT day_class, slot_minute, avg(tpi) AS tpi
    FROM (SELECT day_class, tpi, hour(ts) * 60 + minute(ts) AS slot_minute
          FROM ads.cg_network_tpi WHERE area = '全网')
    GROUP BY day_class, slot_minute
),
windows AS (
    SELECT day_class, slot_minute AS start_minute,
           avg(tpi) OVER w AS hour_tpi,
           count(*) OVER w AS n,
           count(*) FILTER (WHERE tpi >= 4) OVER w AS congested_slots,
           CASE WHEN slot_minute < 12 * 60 THEN '早高峰' ELSE '晚高峰' END AS peak
    FROM profile
    WINDOW w AS (PARTITION BY day_class ORDER BY slot_minute RANGE BETWEEN CURRENT ROW AND 45 FOLLOWING)
),
best AS (
    SELECT day_class, peak, CAST(start_minute AS INTEGER) AS start_minute,
           CAST(start_minute + 60 AS INTEGER) AS end_minute, hour_tpi, congested_slots
    FROM windows
    WHERE n = 4 AND start_minute >= 6 * 60 AND start_minute <= 23 * 60
    QUALIFY row_number() OVER (PARTITION BY day_class, peak ORDER BY hour_tpi DESC, start_minute) = 1
)
SELECT
    day_class,
    peak,
    lpad(CAST(start_minute // 60 AS VARCHAR), 2, '0') || ':' || lpad(CAST(start_minute % 60 AS VARCHAR), 2, '0')
        AS start_slot,
    lpad(CAST(end_minute // 60 AS VARCHAR), 2, '0') || ':' || lpad(CAST(end_minute % 60 AS VARCHAR), 2, '0')
        AS end_slot,
    start_minute,
    end_minute,
    round(hour_tpi, 2) AS peak_hour_tpi,
    congested_slots,
    CASE WHEN hour_tpi >= 4 THEN '拥堵高峰' ELSE '运行平稳' END AS assessment
FROM best
