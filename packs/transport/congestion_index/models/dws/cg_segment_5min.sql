-- Segment state per 5 minutes (路段 5 分钟运行状态), GB/T 33171-2016:
--   travel time t = L / v, free-flow time t_f = L / v_f;
--   TTI = max(t / t_f, 1); DTP = max((t - t_f) / t, 0);
--   grade relative to v_f with exact decimal comparisons (gbt33171_grade: 10 v > 7 v_f ...).
-- effective_time_s = max(t, t_f): faster than free flow counts as free flow in network sums.
-- The day type is looked up once per day (a small join), not once per record.
WITH days AS (
    SELECT day, cn_day_type(day) AS day_type,
           CASE WHEN cn_day_type(day) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class
    FROM (SELECT DISTINCT day FROM dwd.cg_speed)
)
SELECT
    v.segment_id,
    f.road_id,
    f.road_class,
    f.town,
    v.ts,
    v.day,
    d.day_type,
    d.day_class,
    v.speed_kmh,
    v.samples,
    f.v_f,
    f.length_m,
    f.length_m * 3.6 / v.speed_kmh AS travel_time_s,
    f.length_m * 3.6 / CAST(f.v_f AS DOUBLE) AS free_flow_time_s,
    greatest(f.length_m * 3.6 / v.speed_kmh, f.length_m * 3.6 / CAST(f.v_f AS DOUBLE)) AS effective_time_s,
    greatest(CAST(f.v_f AS DOUBLE) / v.speed_kmh, 1) AS tti,
    greatest(1 - v.speed_kmh / CAST(f.v_f AS DOUBLE), 0) AS dtp,
    gbt33171_grade(v.speed_kmh, f.v_f) AS grade
FROM dwd.cg_speed AS v
JOIN dws.cg_free_flow AS f ON f.segment_id = v.segment_id
JOIN days AS d ON d.day = v.day
