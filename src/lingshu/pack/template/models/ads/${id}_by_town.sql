SELECT town, count(*) AS records, sum(amount) AS amount
FROM dwd.${id}_records
GROUP BY town
