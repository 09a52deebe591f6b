-- Free-flow speed per segment, GB/T 33171-2016: over the observed days, split 06:00-24:00 into
-- 15-minute intervals (72), average each interval's speed across days, sort descending, average
-- the top 1/9 (ceil(n/9): 8 of 72), cap at the speed limit. The standard asks for at least 30
-- days: the number of days is stored and a shorter history is marked in ffs_method, never hidden.
-- v_f is rounded to 3 decimals so the exact grade comparisons (10 v > 7 v_f) are exact on it.
-- The 15-minute slot of the day is counted from the epoch (96 per day, slot 24 = 06:00): the same
-- number as hour * 4 + minute // 15 for a zone-less timestamp (Spark reads them as UTC), without
-- extracting two date parts from each of the 17M records.
WITH interval_means AS (
    SELECT
        segment_id,
        epoch_us(ts) // 900000000 % 96 AS slot,
        avg(speed_kmh) AS mean_speed
    FROM dwd.cg_speed
    WHERE epoch_us(ts) // 900000000 % 96 >= 24  -- 06:00-24:00
    GROUP BY segment_id, slot
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY segment_id ORDER BY mean_speed DESC) AS k,
           count(*) OVER (PARTITION BY segment_id) AS n
    FROM interval_means
),
days AS (
    -- the distinct days first (a 2-key GROUP BY), then counted: cheaper than count(DISTINCT day)
    SELECT segment_id, count(day) AS days_observed, min(day) AS first_day, max(day) AS last_day
    FROM (SELECT segment_id, day FROM dwd.cg_speed GROUP BY segment_id, day)
    GROUP BY segment_id
),
top AS (
    SELECT segment_id, avg(mean_speed) AS top_mean, any_value(n) AS intervals_used, count(*) AS top_intervals
    FROM ranked
    WHERE k <= ceil(n / 9.0)
    GROUP BY segment_id
)
SELECT
    t.segment_id,
    s.road_id,
    s.road_name,
    s.road_class,
    s.town,
    s.length_m,
    s.speed_limit_kmh,
    round(t.top_mean, 3) AS v_f_uncapped,
    CAST(round(least(t.top_mean, s.speed_limit_kmh), 3) AS DECIMAL(9, 3)) AS v_f,
    t.top_mean > s.speed_limit_kmh AS capped_at_limit,
    t.intervals_used,
    t.top_intervals,
    d.days_observed,
    d.first_day,
    d.last_day,
    d.days_observed >= 30 AS days_sufficient,
    'GB/T 33171-2016: 06:00-24:00 15分钟时段跨日均值降序取前1/9平均，不超过限速'
        || CASE WHEN d.days_observed < 30 THEN '（观测天数 ' || d.days_observed || ' 天，少于标准要求的 30 天）' ELSE '' END
        AS ffs_method,
    'GB/T 33171-2016' AS standard_version
FROM top AS t
JOIN dwd.road_segment AS s ON s.segment_id = t.segment_id
JOIN days AS d ON d.segment_id = t.segment_id
