-- input (DuckDB)
SELECT town, list(name ORDER BY registered_on DESC) AS names FROM dwd.e GROUP BY town
-- expected (Spark)
SELECT town, TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(registered_on AS k0, name AS v)), (l, r) -> CASE WHEN l.k0 IS NULL AND NOT r.k0 IS NULL THEN 1 WHEN NOT l.k0 IS NULL AND r.k0 IS NULL THEN -1 WHEN l.k0 < r.k0 THEN 1 WHEN l.k0 > r.k0 THEN -1 ELSE 0 END), s -> s.v) AS names FROM dwd.e GROUP BY town
