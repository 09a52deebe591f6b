-- This year's holidays against last year's same holiday (与去年同一节日对比), per area and 15 minutes.
--
-- The same holiday is the occurrence of the same name (cn_holiday) one year earlier. An
-- occurrence is identified by its name and its year, the year of a December rest day being the
-- next one (元旦 may begin on 30 December). Days are aligned by their place in the holiday
-- (第 N 天, counted over the days that have counts) and then by the 15-minute slot; this year's
-- day without a counterpart (国庆节 2025 has eight days, 2024 seven) keeps NULLs on last year's side.
--
-- Last year's counts come from the history export (ods.pf_flow_history) and are cleaned as
-- dwd.pf_flow cleans (a negative count is missing and counts as 0; the last row of an area and
-- slot wins); their occupancy is the drift-corrected balance of dws.pf_area_15min, from the start
-- of each day: raw - least(0, running minimum of raw).
WITH last_counts AS (
    SELECT
        area_id,
        period_start AS ts,
        CAST(period_start AS DATE) AS day,
        hour(period_start) * 4 + minute(period_start) // 15 AS slot,
        CASE WHEN inflow >= 0 THEN inflow END AS inflow,
        CASE WHEN outflow >= 0 THEN outflow END AS outflow
    FROM ods.pf_flow_history
    WHERE cn_holiday(CAST(period_start AS DATE)) IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY area_id, period_start ORDER BY _row_number DESC) = 1
),
last_balance AS (
    SELECT
        area_id, ts, day, slot, inflow,
        CAST(sum(coalesce(inflow, 0) - coalesce(outflow, 0))
            OVER (PARTITION BY area_id, day ORDER BY ts ROWS UNBOUNDED PRECEDING) AS BIGINT) AS occupancy_raw
    FROM last_counts
),
last_year AS (
    SELECT
        area_id, day, slot,
        coalesce(inflow, 0) AS inflow,
        occupancy_raw - least(0, min(occupancy_raw)
            OVER (PARTITION BY area_id, day ORDER BY ts ROWS UNBOUNDED PRECEDING)) AS occupancy
    FROM last_balance
),
holiday_days AS (
    SELECT day, holiday, year(day) + CASE WHEN month(day) = 12 THEN 1 ELSE 0 END AS holiday_year
    FROM (SELECT DISTINCT day, holiday FROM dws.pf_area_15min WHERE holiday IS NOT NULL
          UNION
          SELECT DISTINCT day, cn_holiday(day) AS holiday FROM last_year)
),
numbered AS (
    SELECT day, holiday, holiday_year,
           CAST(row_number() OVER (PARTITION BY holiday, holiday_year ORDER BY day) AS INTEGER) AS holiday_day
    FROM holiday_days
)
SELECT
    m.area_id,
    m.area_name,
    t.holiday,
    t.holiday_year,
    t.holiday_day,
    m.ts,
    m.day,
    m.slot,
    hour(m.ts) AS hour,
    m.inflow,
    m.occupancy,
    m.capacity,
    p.day AS day_last_year,
    l.inflow AS inflow_last_year,
    l.occupancy AS occupancy_last_year
FROM dws.pf_area_15min AS m
JOIN numbered AS t ON t.day = m.day
LEFT JOIN numbered AS p
    ON p.holiday = t.holiday AND p.holiday_year = t.holiday_year - 1 AND p.holiday_day = t.holiday_day
LEFT JOIN last_year AS l ON l.area_id = m.area_id AND l.day = p.day AND l.slot = m.slot
