-- Worst and recurrent congestion (最拥堵与常发拥堵路段), over workdays:
--   congested_share: share of observed 15-minute intervals graded 轻度拥堵 or worse;
--   recurrent_slots: times of day (15-minute slots) congested on at least half of the workdays
--   the segment was observed at that slot (常发拥堵);
--   peak_tti: mean TTI in the network's workday peak hours.
-- Times of day are minutes since midnight (hour * 60 + minute), as in ads.cg_peak_period, so the
-- model means the same on every engine (no TIME type).
WITH wd AS (
    SELECT *, hour(ts) * 60 + minute(ts) AS minute_of_day FROM dws.cg_segment_15min WHERE day_class = '工作日'
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
