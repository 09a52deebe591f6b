-- The latest 15-minute interval of each segment (最新路况): what the live map shows.
SELECT
    m.segment_id,
    s.road_name,
    m.road_class,
    m.town,
    m.ts,
    m.speed_kmh,
    m.v_f,
    round(m.tti, 3) AS tti,
    round(m.dtp, 4) AS dtp,
    m.grade,
    gbt33171_grade_rank(m.grade) AS grade_rank,
    s.wkt
FROM dws.cg_segment_15min AS m
JOIN dwd.road_segment AS s USING (segment_id)
WHERE m.ts >= (SELECT max(ts) FROM dws.cg_segment_15min) - INTERVAL 1 HOUR
QUALIFY row_number() OVER (PARTITION BY m.segment_id ORDER BY m.ts DESC) = 1
