-- Alert log (预警记录): every 15-minute slot in which an area was at yellow or above.
SELECT area_id, area_name, ts, day_type, holiday, occupancy, capacity, utilisation, alert_level, alert_rank
FROM dws.pf_area_15min
WHERE alert_rank > 0
