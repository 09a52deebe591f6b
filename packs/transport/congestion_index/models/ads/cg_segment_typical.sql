-- Typical congestion per segment, day class (工作日/休息日) and hour: the hour's mean travel time
-- over the days of that class, graded against v_f. The map's hour slider reads this table.
WITH typical AS (
    SELECT segment_id, day_class, hour,
           avg(travel_time_s) AS travel_time_s,
           any_value(free_flow_time_s) AS free_flow_time_s,
           any_value(length_m) AS length_m,
           any_value(v_f) AS v_f
    FROM dws.cg_segment_15min
    GROUP BY segment_id, day_class, hour
)
SELECT
    t.segment_id,
    s.road_name,
    s.road_class,
    s.town,
    t.day_class,
    t.hour,
    round(t.length_m * 3.6 / t.travel_time_s, 2) AS speed_kmh,
    t.v_f,
    round(greatest(t.travel_time_s / t.free_flow_time_s, 1), 3) AS tti,
    gbt33171_grade(round(t.length_m * 3.6 / t.travel_time_s, 2), t.v_f) AS grade,
    s.wkt
FROM typical AS t
JOIN dwd.road_segment AS s USING (segment_id)
