-- Typical congestion per segment, day class (工作日/休息日) and hour: the hour's mean travel time
-- over the days of that class, graded against v_f. The map's hour slider reads this table.
-- The day class comes from a calendar of the observed days (dws.cg_free_flow's first to last day,
-- a few dozen rows to hash) and the segment constants from dws.cg_free_flow after the aggregate.
WITH days AS (
    SELECT day, CASE WHEN cn_day_type(day) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class
    FROM (SELECT CAST(d AS DATE) AS day  -- the CAST outside: Spark refuses a generator inside one
          FROM (SELECT unnest(generate_series(min(first_day), max(last_day), INTERVAL 1 DAY)) AS d
                FROM dws.cg_free_flow))
),
typical AS (
    SELECT m.segment_id, d.day_class, hour(m.ts) AS hour, avg(m.travel_time_s) AS travel_time_s
    FROM dws.cg_segment_15min AS m
    JOIN days AS d ON d.day = CAST(m.ts AS DATE)
    GROUP BY m.segment_id, d.day_class, hour(m.ts)
)
SELECT
    t.segment_id,
    s.road_name,
    s.road_class,
    s.town,
    t.day_class,
    t.hour,
    round(f.length_m * 3.6 / t.travel_time_s, 2) AS speed_kmh,
    f.v_f,
    round(greatest(t.travel_time_s / (f.length_m * 3.6 / CAST(f.v_f AS DOUBLE)), 1), 3) AS tti,
    gbt33171_grade(round(f.length_m * 3.6 / t.travel_time_s, 2), f.v_f) AS grade,
    s.wkt
FROM typical AS t
JOIN dws.cg_free_flow AS f ON f.segment_id = t.segment_id
JOIN dwd.road_segment AS s ON s.segment_id = t.segment_id
