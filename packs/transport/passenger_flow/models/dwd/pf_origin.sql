-- Visitor origin per area and day (游客来源地, 手机信令), with the day type.
SELECT
    o.area_id,
    a.area_name,
    o.date AS day,
    cn_day_type(o.date) AS day_type,
    trim(o.origin) AS origin,
    coalesce(o.visitors, 0) AS visitors
FROM ods.pf_origin AS o
LEFT JOIN ods.pf_area AS a ON a.area_id = o.area_id
QUALIFY row_number() OVER (PARTITION BY o.area_id, o.date, trim(o.origin) ORDER BY o._row_number DESC) = 1
