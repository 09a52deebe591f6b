-- Segment state per 15 minutes: the interval's travel time is the mean of its 5-minute travel
-- times (so its speed L / mean t is the space-mean speed), graded against v_f like the 5-minute
-- records. The network index and the maps use this interval. Segment and day attributes are
-- joined after the aggregation (cheaper than carrying them through the GROUP BY); the days come
-- from dwd.cg_speed (a scan of one DATE column) so the aggregate is read once, not kept as a CTE.
WITH agg AS (
    SELECT
        segment_id,
        make_timestamp(epoch_us(ts) // 900000000 * 900000000) AS ts,  -- the 15-minute bucket
        avg(travel_time_s) AS travel_time_s,
        sum(samples) AS samples,
        count(*) AS records
    FROM dws.cg_segment_5min
    GROUP BY segment_id, epoch_us(ts) // 900000000
),
days AS (
    SELECT day, cn_day_type(day) AS day_type,
           CASE WHEN cn_day_type(day) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class
    FROM (SELECT DISTINCT day FROM dwd.cg_speed)
)
SELECT
    a.segment_id,
    a.ts,
    f.road_id,
    f.road_class,
    f.town,
    d.day,
    d.day_type,
    d.day_class,
    f.v_f,
    f.length_m,
    a.travel_time_s,
    f.length_m * 3.6 / CAST(f.v_f AS DOUBLE) AS free_flow_time_s,
    a.samples,
    a.records,
    hour(a.ts) AS hour,
    round(f.length_m * 3.6 / a.travel_time_s, 2) AS speed_kmh,
    greatest(a.travel_time_s, f.length_m * 3.6 / CAST(f.v_f AS DOUBLE)) AS effective_time_s,
    greatest(a.travel_time_s * CAST(f.v_f AS DOUBLE) / (f.length_m * 3.6), 1) AS tti,
    greatest(1 - f.length_m * 3.6 / CAST(f.v_f AS DOUBLE) / a.travel_time_s, 0) AS dtp,
    gbt33171_grade(round(f.length_m * 3.6 / a.travel_time_s, 2), f.v_f) AS grade
FROM agg AS a
JOIN dws.cg_free_flow AS f ON f.segment_id = a.segment_id
JOIN days AS d ON d.day = CAST(a.ts AS DATE)
