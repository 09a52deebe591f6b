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
),
-- Errors are summed as DECIMAL (forecasts have one decimal, actuals are counts): exact sums, so the
-- rounded figures do not depend on the order an engine adds the rows in.
errors AS (
    SELECT
        area_id, area_name, horizon_hour, origin_ts,
        abs(CAST(forecast_occupancy AS DECIMAL(18, 1)) - actual_occupancy) AS err_occupancy,
        abs(CAST(profile_occupancy AS DECIMAL(18, 1)) - actual_occupancy) AS err_profile,
        abs(CAST(forecast_inflow AS DECIMAL(18, 1)) - actual_inflow) AS err_inflow,
        actual_occupancy, actual_inflow
    FROM held
)
SELECT
    area_id,
    any_value(area_name) AS area_name,
    horizon_hour,
    count(*) AS forecasts,
    count(DISTINCT CAST(origin_ts AS DATE)) AS held_back_days,
    round(CAST(sum(err_occupancy) AS DOUBLE) / nullif(count(err_occupancy), 0), 1) AS mae_occupancy,
    round(CAST(sum(err_occupancy) AS DOUBLE) / nullif(sum(actual_occupancy), 0), 4) AS wape_occupancy,
    round(CAST(sum(err_profile) AS DOUBLE) / nullif(sum(actual_occupancy), 0), 4) AS wape_profile_only,
    round(CAST(sum(err_inflow) AS DOUBLE) / nullif(sum(actual_inflow), 0), 4) AS wape_inflow
FROM errors
GROUP BY area_id, horizon_hour
