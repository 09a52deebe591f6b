-- Peak periods (高峰时段) of the whole network per day class: the hour (four consecutive 15-minute
-- intervals) with the highest mean TPI in the morning (06:00-12:00) and in the afternoon/evening
-- (12:00-24:00) of the average day, and how many of its intervals reach 轻度拥堵 (TPI >= 4).
WITH profile AS (
    SELECT day_class, CAST(ts AS TIME) AS slot, avg(tpi) AS tpi, avg(dtp) AS dtp
    FROM ads.cg_network_tpi
    WHERE area = '全网'
    GROUP BY day_class, CAST(ts AS TIME)
),
windows AS (
    SELECT day_class, slot AS start_slot,
           avg(tpi) OVER w AS hour_tpi,
           count(*) OVER w AS n,
           count(*) FILTER (WHERE tpi >= 4) OVER w AS congested_slots,
           CASE WHEN slot < TIME '12:00' THEN '早高峰' ELSE '晚高峰' END AS peak
    FROM profile
    WINDOW w AS (PARTITION BY day_class ORDER BY slot RANGE BETWEEN CURRENT ROW AND INTERVAL 45 MINUTE FOLLOWING)
)
SELECT
    day_class,
    peak,
    start_slot,
    start_slot + INTERVAL 1 HOUR AS end_slot,
    round(hour_tpi, 2) AS peak_hour_tpi,
    congested_slots,
    CASE WHEN hour_tpi >= 4 THEN '拥堵高峰' ELSE '运行平稳' END AS assessment
FROM windows
WHERE n = 4 AND start_slot >= TIME '06:00' AND start_slot <= TIME '23:00'
QUALIFY row_number() OVER (PARTITION BY day_class, peak ORDER BY hour_tpi DESC, start_slot) = 1
