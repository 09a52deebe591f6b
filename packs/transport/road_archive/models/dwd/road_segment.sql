-- Segments (路段, 约 1 km): the unit of facilities, inspections, PCI and floating-car speeds.
-- Class, pavement and limit come from the road register (one truth per road); the town from the
-- town code; the length is recomputed from the geometry.
SELECT
    s.segment_id,
    s.road_id,
    r.road_name,
    r.road_class,
    s.seq,
    s.length_m,
    round(ST_Length_Spheroid(ST_FlipCoordinates(ST_GeomFromText(s.wkt))), 1) AS geom_length_m,
    s.mid_lon,
    s.mid_lat,
    r.speed_limit_kmh,
    r.lanes,
    r.pavement_type,
    r.width_m,
    round(s.length_m * r.width_m, 1) AS area_m2,
    coalesce(t.town_name, '（未落镇）') AS town,
    s.wkt
FROM ods.road_segment AS s
JOIN dwd.road_register AS r ON r.road_id = trim(s.road_id)
LEFT JOIN ods.road_town AS t ON t.town_id = s.town_id
