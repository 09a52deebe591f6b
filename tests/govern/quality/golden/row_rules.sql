-- scan dwd.enterprise
SELECT
  count(*) AS "__rows",
  count_if("__r0_a") AS "r0_checked", count_if("__r0_a" AND "__r0_v") AS "r0_failed",
  count_if("__r1_a") AS "r1_checked", count_if("__r1_a" AND "__r1_v") AS "r1_failed",
  count_if("__r2_a") AS "r2_checked", count_if("__r2_a" AND "__r2_v") AS "r2_failed",
  count_if("__r3_a") AS "r3_checked", count_if("__r3_a" AND "__r3_v") AS "r3_failed",
  count_if("__r4_a") AS "r4_checked", count_if("__r4_a" AND "__r4_v") AS "r4_failed",
  count_if("__r5_a") AS "r5_checked", count_if("__r5_a" AND "__r5_v") AS "r5_failed",
  count_if("__r6_a") AS "r6_checked", count_if("__r6_a" AND "__r6_v") AS "r6_failed",
  count_if("__r7_a") AS "r7_checked", count_if("__r7_a" AND "__r7_v") AS "r7_failed",
  count_if("__r8_a") AS "r8_checked", count_if("__r8_a" AND "__r8_v") AS "r8_failed"
FROM (SELECT
    TRUE AS "__r0_a", (NOT (coalesce(NOT regexp_full_match(CAST("uscc" AS VARCHAR), '\p{Zs}*'), FALSE))) AS "__r0_v",
    TRUE AS "__r1_a", ("name" IS NULL) AS "__r1_v",
    coalesce(NOT regexp_full_match(CAST("registered_on" AS VARCHAR), '\p{Zs}*'), FALSE) AS "__r2_a", (NOT regexp_full_match(CAST("registered_on" AS VARCHAR), '\d{4}-\d{2}-\d{2}')) AS "__r2_v",
    coalesce(NOT regexp_full_match(CAST("town" AS VARCHAR), '\p{Zs}*'), FALSE) AS "__r3_a", ("town" NOT IN ('泥城镇', 'O''Brien 镇', 3)) AS "__r3_v",
    "capital_wan" IS NOT NULL AS "__r4_a", ("capital_wan" < 0 OR "capital_wan" > 1000000.5) AS "__r4_v",
    "registered_on" IS NOT NULL AS "__r5_a", ("registered_on" < DATE '1978-01-01' OR "registered_on" > current_date) AS "__r5_v",
    coalesce(NOT regexp_full_match(CAST("name" AS VARCHAR), '\p{Zs}*'), FALSE) AS "__r6_a", (length(CAST("name" AS VARCHAR)) < 4) AS "__r6_v",
    coalesce(NOT regexp_full_match(CAST("uscc" AS VARCHAR), '\p{Zs}*'), FALSE) AS "__r7_a", (NOT coalesce(is_valid_uscc(CAST("uscc" AS VARCHAR)), FALSE)) AS "__r7_v",
    (closed_on >= registered_on) IS NOT NULL AND (status = '注销') AS "__r8_a", ((closed_on >= registered_on) IS FALSE) AS "__r8_v",
    *
  FROM "dwd"."enterprise") AS "__scan";

-- samples
(SELECT 0 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE NOT (coalesce(NOT regexp_full_match(CAST("uscc" AS VARCHAR), '\p{Zs}*'), FALSE))) AS s LIMIT 5)
UNION ALL
(SELECT 1 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE "name" IS NULL) AS s LIMIT 5)
UNION ALL
(SELECT 2 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE coalesce(NOT regexp_full_match(CAST("registered_on" AS VARCHAR), '\p{Zs}*'), FALSE) AND (NOT regexp_full_match(CAST("registered_on" AS VARCHAR), '\d{4}-\d{2}-\d{2}'))) AS s LIMIT 5)
UNION ALL
(SELECT 3 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE coalesce(NOT regexp_full_match(CAST("town" AS VARCHAR), '\p{Zs}*'), FALSE) AND ("town" NOT IN ('泥城镇', 'O''Brien 镇', 3))) AS s LIMIT 5)
UNION ALL
(SELECT 4 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE "capital_wan" IS NOT NULL AND ("capital_wan" < 0 OR "capital_wan" > 1000000.5)) AS s LIMIT 5)
UNION ALL
(SELECT 5 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE "registered_on" IS NOT NULL AND ("registered_on" < DATE '1978-01-01' OR "registered_on" > current_date)) AS s LIMIT 5)
UNION ALL
(SELECT 6 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE coalesce(NOT regexp_full_match(CAST("name" AS VARCHAR), '\p{Zs}*'), FALSE) AND (length(CAST("name" AS VARCHAR)) < 4)) AS s LIMIT 5)
UNION ALL
(SELECT 7 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE coalesce(NOT regexp_full_match(CAST("uscc" AS VARCHAR), '\p{Zs}*'), FALSE) AND (NOT coalesce(is_valid_uscc(CAST("uscc" AS VARCHAR)), FALSE))) AS s LIMIT 5)
UNION ALL
(SELECT 8 AS "__rule", s.* FROM (SELECT * FROM "dwd"."enterprise" WHERE (closed_on >= registered_on) IS NOT NULL AND (status = '注销') AND ((closed_on >= registered_on) IS FALSE)) AS s LIMIT 5);
