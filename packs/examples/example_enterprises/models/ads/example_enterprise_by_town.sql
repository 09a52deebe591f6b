-- Enterprises and registered capital per town (在册企业数, 注册资本合计).
SELECT
    town,
    count(*) AS enterprises,
    sum(capital_wan) AS capital_wan
FROM dwd.example_enterprise
GROUP BY town
ORDER BY town
