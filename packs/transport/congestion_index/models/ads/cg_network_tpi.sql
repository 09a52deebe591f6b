-- Traffic performance index per 15 minutes (交通运行指数), for the whole network (area '全网') and
-- for each town. GB/T 33171-2016 Annex C from the network delay time proportion:
--   DTP_net = 1 - sum(t_f) / sum(max(t, t_f))  over the segments observed in the interval
-- (every segment travelled once, i.e. weighted by length; VKT weighting is UNSETTLED), then
-- TPI = gbt33171_tpi(DTP_net): band by Annex C, linear inside the band (a display convention).
-- Mileage shares: observed segment length in each grade / observed length.
-- The sums come from dws.cg_grade_15min (15 minutes x town x road class x grade), the day
-- attributes from ts after the aggregate.
WITH by_area AS (
    SELECT
        coalesce(town, '全网') AS area,
        ts,
        CAST(sum(segments) AS BIGINT) AS segments_observed,
        sum(length_m) / 1000 AS km_observed,
        1 - sum(free_flow_time_s) / sum(effective_time_s) AS dtp,
        sum(effective_time_s) / sum(free_flow_time_s) AS tti,
        sum(length_m) FILTER (WHERE grade = '畅通') / sum(length_m) AS share_smooth,
        sum(length_m) FILTER (WHERE grade = '基本畅通') / sum(length_m) AS share_basic,
        sum(length_m) FILTER (WHERE grade = '轻度拥堵') / sum(length_m) AS share_light,
        sum(length_m) FILTER (WHERE grade = '中度拥堵') / sum(length_m) AS share_moderate,
        sum(length_m) FILTER (WHERE grade = '严重拥堵') / sum(length_m) AS share_severe
    FROM dws.cg_grade_15min
    GROUP BY GROUPING SETS ((ts), (ts, town))
)
SELECT
    area,
    ts,
    CAST(ts AS DATE) AS day,
    cn_day_type(CAST(ts AS DATE)) AS day_type,
    CASE WHEN cn_day_type(CAST(ts AS DATE)) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class,
    hour(ts) AS hour,
    segments_observed,
    round(km_observed, 2) AS km_observed,
    round(dtp, 4) AS dtp,
    round(tti, 3) AS tti,
    gbt33171_tpi(dtp) AS tpi,
    gbt33171_tpi_level(dtp) AS level,
    round(coalesce(share_smooth, 0), 4) AS share_smooth,
    round(coalesce(share_basic, 0), 4) AS share_basic,
    round(coalesce(share_light, 0), 4) AS share_light,
    round(coalesce(share_moderate, 0), 4) AS share_moderate,
    round(coalesce(share_severe, 0), 4) AS share_severe,
    'GB/T 33171-2016 附录C 延误时间比分段；段内线性插值为展示约定，非标准内容' AS tpi_method,
    '按路段长度加权（每段通行一次）；GB/T 29107 附录A 车公里加权待定' AS network_weighting,
    'GB/T 33171-2016: 06:00-24:00 15分钟时段跨日均值降序取前1/9平均，不超过限速' AS ffs_method
FROM by_area
