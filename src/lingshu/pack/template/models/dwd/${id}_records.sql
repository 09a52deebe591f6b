SELECT record_id, trim(town) AS town, amount
FROM ods.${id}_records
