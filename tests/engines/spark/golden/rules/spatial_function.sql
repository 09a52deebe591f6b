-- input (DuckDB)
SELECT round(ST_Length_Spheroid(ST_FlipCoordinates(ST_GeomFromText(wkt))), 1) AS len_m, ST_AsText(ST_Point(x, y)) AS pt, ST_X(g) AS gx, ST_Y(g) AS gy, ST_AsWKB(ST_GeomFromWKB(b)) AS w FROM roads
-- expected (Spark)
SELECT ROUND(ROUND((LINGSHU_ST_LENGTH_SPHEROID(LINGSHU_ST_FLIPCOORDINATES(LINGSHU_ST_GEOMFROMTEXT(wkt)))) * 10, 0) / 10, 1) AS len_m, LINGSHU_ST_ASTEXT(LINGSHU_ST_POINT(x, y)) AS pt, LINGSHU_ST_X(g) AS gx, LINGSHU_ST_Y(g) AS gy, LINGSHU_ST_ASWKB(LINGSHU_ST_GEOMFROMWKB(b)) AS w FROM roads
