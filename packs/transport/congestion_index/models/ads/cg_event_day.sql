-- Event days (大型活动日) against ordinary days of the same day class: network TPI over 06:00-24:00,
-- and the delay ratio of the segments within 3 km of the event area during the evening
-- (17:00-23:00, when events end), each compared with the mean of the same-class days without
-- an event. The weather is shown because rain also slows traffic.
WITH events AS (
    SELECT e.event_date, e.event_name, e.area_id, a.area_name, a.lon, a.lat
    FROM ods.cg_event AS e LEFT JOIN ods.cg_key_area AS a USING (area_id)
),
near AS (
    SELECT e.event_date, e.event_name, s.segment_id
    FROM events AS e
    JOIN dwd.road_segment AS s
      ON ST_Distance_Sphere(ST_Point(s.mid_lat, s.mid_lon), ST_Point(e.lat, e.lon)) <= 3000
),
daily AS (
    SELECT day, any_value(day_class) AS day_class, avg(tpi) AS tpi
    FROM ads.cg_network_tpi
    WHERE area = '全网' AND hour >= 6
    GROUP BY day
),
evening AS (
    -- t_f and max(t, t_f) of each segment state, as in dws.cg_grade_15min; the day class follows
    -- from the day, after the aggregate
    SELECT e.*, CASE WHEN cn_day_type(e.day) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class
    FROM (
        SELECT n.event_name, n.event_date, CAST(m.ts AS DATE) AS day,
               1 - sum(f.free_flow_time_s) / sum(greatest(m.travel_time_s, f.free_flow_time_s)) AS dtp
        FROM near AS n
        JOIN dws.cg_segment_15min AS m ON m.segment_id = n.segment_id
        JOIN (SELECT segment_id, length_m * 3.6 / CAST(v_f AS DOUBLE) AS free_flow_time_s
              FROM dws.cg_free_flow) AS f ON f.segment_id = m.segment_id
        WHERE hour(m.ts) BETWEEN 17 AND 22
        GROUP BY n.event_name, n.event_date, CAST(m.ts AS DATE)
    ) AS e
),
event_days AS (SELECT DISTINCT event_date FROM events)
SELECT
    e.event_date,
    e.event_name,
    e.area_name,
    w.weather,
    d.day_class,
    round(d.tpi, 2) AS network_tpi,
    round((SELECT avg(b.tpi) FROM daily AS b
           WHERE b.day_class = d.day_class AND b.day NOT IN (SELECT event_date FROM event_days)), 2) AS baseline_tpi,
    round(ev.dtp, 4) AS nearby_evening_dtp,
    round((SELECT avg(b.dtp) FROM evening AS b
           WHERE b.event_name = e.event_name AND b.event_date = e.event_date AND b.day_class = d.day_class
             AND b.day NOT IN (SELECT event_date FROM event_days)), 4) AS nearby_baseline_dtp,
    gbt33171_tpi(ev.dtp) AS nearby_evening_tpi
FROM events AS e
JOIN daily AS d ON d.day = e.event_date
LEFT JOIN evening AS ev ON ev.event_name = e.event_name AND ev.event_date = e.event_date AND ev.day = e.event_date
LEFT JOIN ods.cg_weather AS w ON w.day = e.event_date
