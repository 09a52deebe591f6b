-- scan dwd.person
SELECT
  count(*) AS "__rows",
  count(*) FILTER (WHERE "id_no" IS NOT NULL AND "source" IS NOT NULL) AS "r0_checked", count(*) FILTER (WHERE "id_no" IS NOT NULL AND "source" IS NOT NULL) - count(DISTINCT row("id_no", "source")) FILTER (WHERE "id_no" IS NOT NULL AND "source" IS NOT NULL) AS "r0_failed",
  1 AS "r1_checked", CASE WHEN CAST(max("updated_at") AS TIMESTAMP) >= localtimestamp - INTERVAL '2 days' THEN 0 ELSE 1 END AS "r1_failed",
  CAST(max("updated_at") AS VARCHAR) AS "r1_x_latest"
FROM "dwd"."person";

-- query reference_town_code
SELECT count(*) AS checked, count(*) FILTER (WHERE r."__found" IS NULL) AS failed FROM "dwd"."person" AS t LEFT JOIN (SELECT DISTINCT "code" AS "__k0", TRUE AS "__found" FROM "dwd"."town") AS r ON t."town_code" = r."__k0" WHERE t."town_code" IS NOT NULL;

-- query allowed_values_edu
SELECT count(*) AS checked, count(*) FILTER (WHERE r."__found" IS NULL) AS failed FROM "dwd"."person" AS t LEFT JOIN (SELECT DISTINCT "label" AS "__k0", TRUE AS "__found" FROM "dwd"."education") AS r ON t."edu" = r."__k0" WHERE t."edu" IS NOT NULL;

-- query custom_sql
SELECT (SELECT count(*) FROM "dwd"."person" WHERE (alive)) AS checked, count(*) AS failed FROM (SELECT * FROM "dwd"."person" WHERE age > 150) AS q;

-- history row_count_change (no SQL)

-- samples
(SELECT 0 AS "__rule", s.* FROM (SELECT "__t".* FROM "dwd"."person" AS "__t" JOIN (SELECT "id_no" AS "__k0", "source" AS "__k1" FROM "dwd"."person" WHERE "id_no" IS NOT NULL AND "source" IS NOT NULL GROUP BY "id_no", "source" HAVING count(*) > 1) AS "__d" ON "__t"."id_no" = "__d"."__k0" AND "__t"."source" = "__d"."__k1" WHERE "id_no" IS NOT NULL AND "source" IS NOT NULL) AS s LIMIT 5)
UNION ALL
(SELECT 3 AS "__rule", s.* FROM (SELECT t.* FROM "dwd"."person" AS t WHERE t."town_code" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "dwd"."town" AS o WHERE o."code" = t."town_code")) AS s LIMIT 5)
UNION ALL
(SELECT 4 AS "__rule", s.* FROM (SELECT t.* FROM "dwd"."person" AS t WHERE t."edu" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "dwd"."education" AS o WHERE o."label" = t."edu")) AS s LIMIT 5);

-- sample custom_sql
SELECT * FROM (SELECT * FROM "dwd"."person" WHERE age > 150) AS s LIMIT 5;
