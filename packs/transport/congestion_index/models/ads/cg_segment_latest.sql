-- The latest 15-minute interval of each segment (最新路况): what the live map shows. Speed, TTI and
-- DTP are derived from the segment state's travel time and dws.cg_free_flow with the expressions
-- of the standard (speed round(L x 3.6 / t, 2), TTI max(t / t_f, 1), DTP max(1 - t_f / t, 0)).
WITH latest AS (
    SELECT m.segment_id, m.ts, m.travel_time_s, m.grade
    FROM dws.cg_segment_15min AS m
    WHERE m.ts >= (SELECT max(ts) FROM dws.cg_segment_15min) - INTERVAL 1 HOUR
    QUALIFY row_number() OVER (PARTITION BY m.segment_id ORDER BY m.ts DESC) = 1
)
SELECT
    m.segment_id,
    s.road_name,
    f.road_class,
    f.town,
    m.ts,
    round(f.length_m * 3.6 / m.travel_time_s, 2) AS speed_kmh,
    f.v_f,
    round(greatest(m.travel_time_s * CAST(f.v_f AS DOUBLE) / (f.length_m * 3.6), 1), 3) AS tti,
    round(greatest(1 - (f.length_m * 3.6 / CAST(f.v_f AS DOUBLE)) / m.travel_time_s, 0), 4) AS dtp,
    m.grade,
    gbt33171_grade_rank(m.grade) AS grade_rank,
    s.wkt
FROM latest AS m
JOIN dws.cg_free_flow AS f ON f.segment_id = m.segment_id
JOIN dwd.road_segment AS s ON s.segment_id = m.segment_id
