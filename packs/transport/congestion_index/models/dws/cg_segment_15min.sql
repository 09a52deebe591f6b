-- Segment state per 15 minutes (路段 15 分钟运行状态), GB/T 33171-2016: the interval's travel time
-- is the mean of its 5-minute travel times L / v (so its speed L / mean t is the space-mean speed),
-- and its grade relative to v_f with exact comparisons (10 v > 7 v_f ... in integers). The network
-- index, the maps and the segment rankings use this interval.
-- Built straight from the cleaned speeds: mean(L / v) = L x mean(1 / v), so the aggregate needs
-- only the speeds, and the segment constants are joined after it, once per 15-minute row.
-- Only the measured state is written (travel time, samples, records) and the grade, which needs
-- the rounded speed and v_f and is what readers filter and group by. This table has 5.76M rows at
-- 2,000 segments x 30 days and writing it was most of the pack's cost, so everything a reader can
-- derive is left out (18 columns -> 6: in benchmarks/congestion_vs_pandas.py this model went from
-- 4.2 s, CPU 8.3 s, to 2.8 s, CPU 5.3 s, in memory, and from CPU 13.2 s to 7.9 s on a warehouse file):
--   - from dws.cg_free_flow (one row per segment): road class, town, length, v_f, and the
--     free-flow time L x 3.6 / v_f;
--   - from ts: day, hour, and day type / day class (cn_day_type);
--   - in the row, with the same expressions as here: speed round(L x 3.6 / t, 2), effective time
--     max(t, t_f), TTI max(t x v_f / (L x 3.6), 1), DTP max(1 - t_f / t, 0).
-- The network sums per 15 minutes, town, road class and grade are in dws.cg_grade_15min.
-- The grade compares integer thousandths (gbt33171_grade_milli): v_f is converted once per
-- segment here, the speed once per row, instead of both inside every arm of gbt33171_grade.
-- The join after the aggregate must hash the segments, not the aggregate: DuckDB estimates the
-- aggregate at the number of segments (the bucket expression has no statistics), and the v_f > 0
-- filter makes it see the segments smaller still (tests/packs/test_congestion_index.py checks it).
WITH agg AS (
    SELECT
        segment_id,
        epoch_us(ts) // 900000000 AS bucket,  -- the 15-minute bucket
        avg(1 / speed_kmh) AS mean_pace,  -- hours per km
        CAST(sum(samples) AS BIGINT) AS samples,
        count(*) AS records
    FROM dwd.cg_speed
    GROUP BY segment_id, epoch_us(ts) // 900000000
),
timed AS (
    SELECT a.segment_id, a.bucket, a.samples, a.records, f.length_x36, f.v_f_milli,
           f.length_x36 * a.mean_pace AS travel_time_s
    FROM agg AS a
    -- v_f > 0: travel times are defined only against a positive free-flow speed (every segment
    -- with cleaned speeds has one); the filter is also what makes the planner hash this side.
    JOIN (SELECT segment_id, length_m * 3.6 AS length_x36, CAST(round(v_f * 1000) AS BIGINT) AS v_f_milli
          FROM dws.cg_free_flow WHERE v_f > 0) AS f ON f.segment_id = a.segment_id
)
SELECT
    segment_id,
    make_timestamp(bucket * 900000000) AS ts,
    travel_time_s,
    samples,
    records,
    -- the speed as published (round(L x 3.6 / t, 2)) in thousandths, against v_f in thousandths
    gbt33171_grade_milli(CAST(round(round(length_x36 / travel_time_s, 2) * 1000) AS BIGINT), v_f_milli) AS grade
FROM timed
