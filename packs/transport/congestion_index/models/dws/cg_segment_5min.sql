-- Segment state per 5 minutes (路段 5 分钟运行状态), GB/T 33171-2016:
--   travel time t = L / v, free-flow time t_f = L / v_f;
--   TTI = max(t / t_f, 1); DTP = max((t - t_f) / t, 0);
--   grade relative to v_f with exact comparisons (gbt33171_grade: 10 v > 7 v_f ... in integers).
-- effective_time_s = max(t, t_f): faster than free flow counts as free flow in network sums.
-- This is the widest table of the pack (one row per segment and 5 minutes: 17 million rows for
-- 2,000 segments over 30 days), and writing it is most of the pack's cost, so it holds only what
-- the indicators and the segment states need: the segment's constants (road, length, v_f) stay in
-- dws.cg_free_flow, the day in ts. The free-flow time is computed once per segment and the day
-- type once per day (small joins), not once per record.
WITH days AS (
    SELECT day, cn_day_type(day) AS day_type,
           CASE WHEN cn_day_type(day) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class
    FROM (SELECT DISTINCT day FROM dwd.cg_speed)
),
segments AS (
    SELECT segment_id, road_class, town, v_f, length_m * 3.6 AS length_x36,
           length_m * 3.6 / CAST(v_f AS DOUBLE) AS free_flow_time_s
    FROM dws.cg_free_flow
)
SELECT
    v.segment_id,
    v.ts,
    s.road_class,
    s.town,
    d.day_type,
    d.day_class,
    v.speed_kmh,
    v.samples,
    s.length_x36 / v.speed_kmh AS travel_time_s,
    s.free_flow_time_s,
    greatest(s.length_x36 / v.speed_kmh, s.free_flow_time_s) AS effective_time_s,
    greatest(CAST(s.v_f AS DOUBLE) / v.speed_kmh, 1) AS tti,
    greatest(1 - v.speed_kmh / CAST(s.v_f AS DOUBLE), 0) AS dtp,
    gbt33171_grade(v.speed_kmh, s.v_f) AS grade
FROM dwd.cg_speed AS v
JOIN segments AS s ON s.segment_id = v.segment_id
JOIN days AS d ON d.day = v.day
