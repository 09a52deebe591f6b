-- Network sums per 15 minutes, town, road class and segment grade (路网 15 分钟分镇分道路等级分拥堵等级
-- 汇总), GB/T 33171-2016: observed segments, their length, free-flow time t_f = L / v_f and
-- effective travel time max(t, t_f) of the 15-minute segment states. The network index
-- (ads.cg_network_tpi: DTP, TTI and mileage shares by grade for the network and each town) and
-- the graded_mileage indicator are sums of these, so they read ~0.3M rows instead of the 5.76M
-- segment states. The segment constants are joined through a small integer group (town x road
-- class), as in dws.cg_area_15min, and the labels after the aggregate.
WITH segments AS (
    SELECT segment_id, town, road_class,
           dense_rank() OVER (ORDER BY town, road_class) AS grp,
           length_m,
           length_m * 3.6 / CAST(v_f AS DOUBLE) AS free_flow_time_s
    FROM dws.cg_free_flow
),
agg AS (
    SELECT
        s.grp,
        m.ts,
        m.grade,
        count(*) AS segments,
        sum(s.length_m) AS length_m,
        sum(s.free_flow_time_s) AS free_flow_time_s,
        sum(greatest(m.travel_time_s, s.free_flow_time_s)) AS effective_time_s
    FROM dws.cg_segment_15min AS m
    JOIN segments AS s ON s.segment_id = m.segment_id
    GROUP BY s.grp, m.ts, m.grade
)
SELECT
    a.ts,
    CAST(a.ts AS DATE) AS day,
    l.town,
    l.road_class,
    a.grade,
    CASE WHEN cn_day_type(CAST(a.ts AS DATE)) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class,
    hour(a.ts) AS hour,
    a.segments,
    a.length_m,
    a.free_flow_time_s,
    a.effective_time_s
FROM agg AS a
JOIN (SELECT DISTINCT grp, town, road_class FROM segments) AS l ON l.grp = a.grp
