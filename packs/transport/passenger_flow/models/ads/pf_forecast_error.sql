-- Forecast error on held-back days (留出日预测误差): the last 7 days of data are held back (their
-- profiles use only earlier days), forecasts from every hourly origin 07:00-20:00 are compared
-- with what happened. WAPE = sum |forecast - actual| / sum actual; the naive profile-only forecast
-- (level 1) is shown next to it, so the value of the level adjustment is visible.
WITH held AS (
    SELECT f.*
    FROM ads.pf_forecast AS f
    WHERE NOT f.is_live
      AND CAST(f.origin_ts AS DATE) > (SELECT max(CAST(origin_ts AS DATE)) FROM ads.pf_forecast) - INTERVAL 7 DAY
      AND hour(f.origin_ts) BETWEEN 7 AND 20
)
SELECT
    area_id,
    any_value(area_name) AS area_name,
    horizon_hour,
    count(*) AS forecasts,
    count(DISTINCT CAST(origin_ts AS DATE)) AS held_back_days,
    round(avg(abs(forecast_occupancy - actual_occupancy)), 1) AS mae_occupancy,
    round(sum(abs(forecast_occupancy - actual_occupancy)) / nullif(sum(actual_occupancy), 0), 4) AS wape_occupancy,
    round(sum(abs(profile_occupancy - actual_occupancy)) / nullif(sum(actual_occupancy), 0), 4) AS wape_profile_only,
    round(sum(abs(forecast_inflow - actual_inflow)) / nullif(sum(actual_inflow), 0), 4) AS wape_inflow
FROM held
GROUP BY area_id, horizon_hour
