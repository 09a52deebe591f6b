-- Floating-car speeds (浮动车 5 分钟路段平均速度), cleaned: only segments of the road register,
-- positive speeds no faster than 1.5x the limit (probe glitches), one row per segment and
-- interval (a re-delivered file keeps the record with more probe vehicles).
SELECT
    f.segment_id,
    f.ts,
    CAST(f.ts AS DATE) AS day,
    f.speed_kmh,
    coalesce(f.samples, 1) AS samples
FROM ods.cg_fcd_speed AS f
JOIN dwd.road_segment AS s ON s.segment_id = f.segment_id
WHERE f.speed_kmh > 0 AND f.speed_kmh <= 1.5 * s.speed_limit_kmh
QUALIFY row_number() OVER (PARTITION BY f.segment_id, f.ts ORDER BY f.samples DESC NULLS LAST) = 1
