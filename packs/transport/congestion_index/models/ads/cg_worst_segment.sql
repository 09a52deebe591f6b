-- Worst and recurrent congestion (最拥堵与常发拥堵路段), over workdays:
--   congested_share: share of observed 15-minute intervals graded 轻度拥堵 or worse;
--   recurrent_slots: times of day (15-minute slots) congested on at least half of the workdays
--   the segment was observed at that slot (常发拥堵);
--   peak_tti: mean TTI in the network's workday peak hours.
-- Times of day are minutes since midnight (hour * 60 + minute), as in ads.cg_peak_period, so the
-- model means the same on every engine (no TIME type).
-- The workday segment states come with TTI and speed derived as in dws.cg_segment_15min's header
-- (the segment constants from dws.cg_free_flow, the workdays from a calendar of the observed days).
WITH days AS (
    SELECT day
    FROM (SELECT CAST(d AS DATE) AS day  -- the CAST outside: Spark refuses a generator inside one
          FROM (SELECT unnest(generate_series(min(first_day), max(last_day), INTERVAL 1 DAY)) AS d
                FROM dws.cg_free_flow))
    WHERE cn_day_type(day) = '工作日'
),
wd AS (
    SELECT m.segment_id, m.grade,
           hour(m.ts) * 60 + minute(m.ts) AS minute_of_day,
           greatest(m.travel_time_s * CAST(f.v_f AS DOUBLE) / (f.length_m * 3.6), 1) AS tti,
           round(f.length_m * 3.6 / m.travel_time_s, 2) AS speed_kmh
    FROM dws.cg_segment_15min AS m
    JOIN days AS d ON d.day = CAST(m.ts AS DATE)
    JOIN dws.cg_free_flow AS f ON f.segment_id = m.segment_id
),
peaks AS (
    SELECT start_minute, end_minute FROM ads.cg_peak_period WHERE day_class = '工作日'
),
slots AS (
    SELECT segment_id, minute_of_day,
           avg(CASE WHEN gbt33171_grade_rank(grade) >= 3 THEN 1.0 ELSE 0.0 END) AS congested_rate
    FROM wd GROUP BY segment_id, minute_of_day
),
recurrent AS (
    SELECT segment_id, count(*) FILTER (WHERE congested_rate >= 0.5) AS recurrent_slots FROM slots GROUP BY segment_id
),
seg AS (
    SELECT segment_id,
           avg(CASE WHEN gbt33171_grade_rank(grade) >= 3 THEN 1.0 ELSE 0.0 END) AS congested_share,
           avg(tti) AS mean_tti,
           avg(tti) FILTER (WHERE EXISTS (SELECT 1 FROM peaks p
                                          WHERE wd.minute_of_day >= p.start_minute AND wd.minute_of_day < p.end_minute))
               AS peak_tti,
           min(speed_kmh) AS min_speed_kmh
    FROM wd GROUP BY segment_id
)
SELECT
    s.segment_id,
    r.road_name,
    r.road_class,
    r.town,
    round(s.congested_share, 4) AS congested_share,
    round(s.mean_tti, 3) AS mean_tti,
    round(s.peak_tti, 3) AS peak_tti,
    s.min_speed_kmh,
    f.v_f,
    coalesce(c.recurrent_slots, 0) AS recurrent_slots,
    coalesce(c.recurrent_slots, 0) > 0 AS recurrent,
    row_number() OVER (ORDER BY s.peak_tti DESC NULLS LAST, s.congested_share DESC, s.segment_id) AS congestion_rank
FROM seg AS s
JOIN dwd.road_segment AS r USING (segment_id)
JOIN dws.cg_free_flow AS f USING (segment_id)
LEFT JOIN recurrent AS c USING (segment_id)
