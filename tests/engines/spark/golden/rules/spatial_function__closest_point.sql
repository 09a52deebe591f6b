-- input (DuckDB)
SELECT round(ST_Distance_Sphere(ST_FlipCoordinates(ST_Point(f.lon, f.lat)), ST_FlipCoordinates(ST_ClosestPoint(ST_GeomFromText(s.wkt), ST_Point(f.lon, f.lat)))), 1) AS distance_to_road_m FROM f JOIN s ON s.id = f.id
-- expected (Spark)
SELECT ROUND(ROUND((LINGSHU_ST_DISTANCE_SPHERE(LINGSHU_ST_FLIPCOORDINATES(LINGSHU_ST_POINT(f.lon, f.lat)), LINGSHU_ST_FLIPCOORDINATES(LINGSHU_ST_CLOSESTPOINT(LINGSHU_ST_GEOMFROMTEXT(s.wkt), LINGSHU_ST_POINT(f.lon, f.lat))))) * 10, 0) / 10, 1) AS distance_to_road_m FROM f JOIN s ON s.id = f.id
