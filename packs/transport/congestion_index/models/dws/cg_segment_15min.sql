-- Segment state per 15 minutes: the interval's travel time is the mean of its 5-minute travel
-- times (so its speed L / mean t is the space-mean speed), graded against v_f like the 5-minute
-- records. The network index and the maps use this interval.
WITH agg AS (
    SELECT
        segment_id,
        time_bucket(INTERVAL 15 MINUTE, ts) AS ts,
        any_value(road_id) AS road_id,
        any_value(road_class) AS road_class,
        any_value(town) AS town,
        any_value(day) AS day,
        any_value(day_type) AS day_type,
        any_value(day_class) AS day_class,
        any_value(v_f) AS v_f,
        any_value(length_m) AS length_m,
        avg(travel_time_s) AS travel_time_s,
        any_value(free_flow_time_s) AS free_flow_time_s,
        sum(samples) AS samples,
        count(*) AS records
    FROM dws.cg_segment_5min
    GROUP BY segment_id, time_bucket(INTERVAL 15 MINUTE, ts)
)
SELECT
    *,
    hour(ts) AS hour,
    round(length_m * 3.6 / travel_time_s, 2) AS speed_kmh,
    greatest(travel_time_s, free_flow_time_s) AS effective_time_s,
    greatest(travel_time_s / free_flow_time_s, 1) AS tti,
    greatest(1 - free_flow_time_s / travel_time_s, 0) AS dtp,
    gbt33171_grade(round(length_m * 3.6 / travel_time_s, 2), v_f) AS grade
FROM agg
