-- Facilities (附属设施: 路灯/窨井盖/交通标志/护栏) with their distance to their segment's centreline,
-- so "the facility is on its road" is a checkable rule rather than an assumption.
SELECT
    f.facility_id,
    f.segment_id,
    f.road_id,
    s.road_name,
    trim(f.facility_type) AS facility_type,
    f.lon,
    f.lat,
    f.install_year,
    trim(f.condition) AS condition,
    round(ST_Distance_Sphere(
        ST_FlipCoordinates(ST_Point(f.lon, f.lat)),
        ST_FlipCoordinates(ST_ClosestPoint(ST_GeomFromText(s.wkt), ST_Point(f.lon, f.lat)))), 1) AS distance_to_road_m,
    s.road_id = f.road_id AS road_matches_segment
FROM ods.road_facility AS f
LEFT JOIN dwd.road_segment AS s ON s.segment_id = f.segment_id
