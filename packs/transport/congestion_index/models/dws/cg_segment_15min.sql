-- Segment state per 15 minutes (路段 15 分钟运行状态), GB/T 33171-2016: the interval's travel time
-- is the mean of its 5-minute travel times L / v (so its speed L / mean t is the space-mean speed);
-- TTI = max(t / t_f, 1), DTP = max(1 - t_f / t, 0), effective time max(t, t_f), and the grade
-- relative to v_f with exact comparisons (gbt33171_grade: 10 v > 7 v_f ... in integers). The
-- network index, the maps and the segment rankings use this interval.
-- Built straight from the cleaned speeds: mean(L / v) = L x mean(1 / v), so the aggregate needs
-- only the speeds and the segment's constants (road, length, v_f) and the day attributes are
-- joined after it, once per 15-minute row instead of once per 5-minute record.
-- Both joins after the aggregate must hash the small side. DuckDB estimates the aggregate at the
-- number of segments (the bucket expression has no statistics), so each small side is written so
-- that the planner sees it smaller still: the day list is the calendar from dws.cg_free_flow's
-- first to last observed day (not DISTINCT day over 17M records, of unknown size), and the
-- segments are filtered (v_f > 0). Hashing the 5.76M aggregate rows instead cost about half of
-- this model (6.9 s -> 3.1 s at 2,000 segments x 30 days in benchmarks/congestion_vs_pandas.py).
-- Writing this table (5.76M rows for 2,000 segments x 30 days) is most of the pack's cost and a
-- text column costs about 1 CPU s of it, so only labels a reader groups or filters by are kept:
-- the road id is in dws.cg_free_flow and the day type (节假日/周末/工作日) follows from day.
WITH agg AS (
    SELECT
        segment_id,
        make_timestamp(epoch_us(ts) // 900000000 * 900000000) AS ts,  -- the 15-minute bucket
        avg(1 / speed_kmh) AS mean_pace,  -- hours per km
        CAST(sum(samples) AS BIGINT) AS samples,
        count(*) AS records
    FROM dwd.cg_speed
    GROUP BY segment_id, epoch_us(ts) // 900000000
),
days AS (
    SELECT day, CASE WHEN cn_day_type(day) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class
    FROM (SELECT CAST(d AS DATE) AS day  -- the CAST outside: Spark refuses a generator inside one
          FROM (SELECT unnest(generate_series(min(first_day), max(last_day), INTERVAL 1 DAY)) AS d
                FROM dws.cg_free_flow))
),
timed AS (
    SELECT a.segment_id, a.ts, a.samples, a.records,
           f.road_class, f.town, f.v_f, f.length_m,
           f.length_m * 3.6 * a.mean_pace AS travel_time_s,
           f.length_m * 3.6 / CAST(f.v_f AS DOUBLE) AS free_flow_time_s
    FROM agg AS a
    -- v_f > 0: travel times are defined only against a positive free-flow speed (every segment
    -- with cleaned speeds has one); the filter is also what makes the planner hash this side.
    JOIN (SELECT * FROM dws.cg_free_flow WHERE v_f > 0) AS f ON f.segment_id = a.segment_id
)
SELECT
    t.segment_id,
    t.ts,
    t.road_class,
    t.town,
    d.day,
    d.day_class,
    t.v_f,
    t.length_m,
    t.travel_time_s,
    t.free_flow_time_s,
    t.samples,
    t.records,
    hour(t.ts) AS hour,
    round(t.length_m * 3.6 / t.travel_time_s, 2) AS speed_kmh,
    greatest(t.travel_time_s, t.free_flow_time_s) AS effective_time_s,
    greatest(t.travel_time_s * CAST(t.v_f AS DOUBLE) / (t.length_m * 3.6), 1) AS tti,
    greatest(1 - t.free_flow_time_s / t.travel_time_s, 0) AS dtp,
    gbt33171_grade(round(t.length_m * 3.6 / t.travel_time_s, 2), t.v_f) AS grade
FROM timed AS t
JOIN days AS d ON d.day = CAST(t.ts AS DATE)
