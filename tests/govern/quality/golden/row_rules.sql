-- scan dwd.enterprise
SELECT
  count(*) AS "__rows",
  count(*) AS "r0_checked",
  count(*) FILTER (WHERE ("uscc" IS NULL OR trim(CAST("uscc" AS VARCHAR)) = '')) AS "r0_failed",
  count(*) AS "r1_checked",
  count(*) FILTER (WHERE "name" IS NULL) AS "r1_failed",
  count(*) FILTER (WHERE nullif(trim(CAST("registered_on" AS VARCHAR)), '') IS NOT NULL) AS "r2_checked",
  count(*) FILTER (WHERE nullif(trim(CAST("registered_on" AS VARCHAR)), '') IS NOT NULL AND (NOT regexp_full_match(CAST("registered_on" AS VARCHAR), '\d{4}-\d{2}-\d{2}'))) AS "r2_failed",
  count(*) FILTER (WHERE nullif(trim(CAST("town" AS VARCHAR)), '') IS NOT NULL) AS "r3_checked",
  count(*) FILTER (WHERE nullif(trim(CAST("town" AS VARCHAR)), '') IS NOT NULL AND ("town" NOT IN ('泥城镇', 'O''Brien 镇', 3))) AS "r3_failed",
  count(*) FILTER (WHERE "capital_wan" IS NOT NULL) AS "r4_checked",
  count(*) FILTER (WHERE "capital_wan" IS NOT NULL AND ("capital_wan" < 0 OR "capital_wan" > 1000000.5)) AS "r4_failed",
  count(*) FILTER (WHERE "registered_on" IS NOT NULL) AS "r5_checked",
  count(*) FILTER (WHERE "registered_on" IS NOT NULL AND ("registered_on" < DATE '1978-01-01' OR "registered_on" > current_date)) AS "r5_failed",
  count(*) FILTER (WHERE nullif(trim(CAST("name" AS VARCHAR)), '') IS NOT NULL) AS "r6_checked",
  count(*) FILTER (WHERE nullif(trim(CAST("name" AS VARCHAR)), '') IS NOT NULL AND (length(CAST("name" AS VARCHAR)) < 4)) AS "r6_failed",
  count(*) FILTER (WHERE nullif(trim(CAST("uscc" AS VARCHAR)), '') IS NOT NULL) AS "r7_checked",
  count(*) FILTER (WHERE nullif(trim(CAST("uscc" AS VARCHAR)), '') IS NOT NULL AND (NOT coalesce(is_valid_uscc(CAST("uscc" AS VARCHAR)), FALSE))) AS "r7_failed",
  count(*) FILTER (WHERE (closed_on >= registered_on) IS NOT NULL AND (status = '注销')) AS "r8_checked",
  count(*) FILTER (WHERE (closed_on >= registered_on) IS NOT NULL AND (status = '注销') AND ((closed_on >= registered_on) IS FALSE)) AS "r8_failed"
FROM "dwd"."enterprise";

-- samples
(SELECT 0 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE ("uscc" IS NULL OR trim(CAST("uscc" AS VARCHAR)) = '')) AS s LIMIT 5)
UNION ALL
(SELECT 1 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE "name" IS NULL) AS s LIMIT 5)
UNION ALL
(SELECT 2 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE nullif(trim(CAST("registered_on" AS VARCHAR)), '') IS NOT NULL AND (NOT regexp_full_match(CAST("registered_on" AS VARCHAR), '\d{4}-\d{2}-\d{2}'))) AS s LIMIT 5)
UNION ALL
(SELECT 3 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE nullif(trim(CAST("town" AS VARCHAR)), '') IS NOT NULL AND ("town" NOT IN ('泥城镇', 'O''Brien 镇', 3))) AS s LIMIT 5)
UNION ALL
(SELECT 4 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE "capital_wan" IS NOT NULL AND ("capital_wan" < 0 OR "capital_wan" > 1000000.5)) AS s LIMIT 5)
UNION ALL
(SELECT 5 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE "registered_on" IS NOT NULL AND ("registered_on" < DATE '1978-01-01' OR "registered_on" > current_date)) AS s LIMIT 5)
UNION ALL
(SELECT 6 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE nullif(trim(CAST("name" AS VARCHAR)), '') IS NOT NULL AND (length(CAST("name" AS VARCHAR)) < 4)) AS s LIMIT 5)
UNION ALL
(SELECT 7 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE nullif(trim(CAST("uscc" AS VARCHAR)), '') IS NOT NULL AND (NOT coalesce(is_valid_uscc(CAST("uscc" AS VARCHAR)), FALSE))) AS s LIMIT 5)
UNION ALL
(SELECT 8 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE (closed_on >= registered_on) IS NOT NULL AND (status = '注销') AND ((closed_on >= registered_on) IS FALSE)) AS s LIMIT 5);
