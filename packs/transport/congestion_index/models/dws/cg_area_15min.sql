-- Network sums per 15 minutes, town and road class (路网 15 分钟分镇分道路等级汇总), GB/T 33171-2016:
-- the additive state of the indicators free_flow_time, travel_time, speed_records and mean_speed.
-- Each sum runs over the 5-minute records as the standard defines them (travel time t = L / v,
-- free-flow time t_f = L / v_f, effective time max(t, t_f): faster than free flow counts as free
-- flow), so the TPI of any slice (town, road class, day type, hour) at 15 minutes or coarser is the
-- same number as summing the 17 million 5-minute records, read from ~130k rows. Nothing else needs
-- per-record 5-minute states, so none are written. The segment constants are joined to the records
-- through a small integer group (town x road class) and the labels after the aggregate, so the
-- GROUP BY hashes two integers, not text.
WITH segments AS (
    SELECT segment_id, town, road_class,
           dense_rank() OVER (ORDER BY town, road_class) AS grp,
           length_m * 3.6 AS length_x36,
           length_m * 3.6 / CAST(v_f AS DOUBLE) AS free_flow_time_s
    FROM dws.cg_free_flow
),
agg AS (
    SELECT
        s.grp,
        epoch_us(v.ts) // 900000000 AS bucket,  -- the 15-minute bucket
        count(*) AS records,
        sum(v.samples) AS samples,
        sum(s.free_flow_time_s) AS free_flow_time_s,
        sum(greatest(s.length_x36 / v.speed_kmh, s.free_flow_time_s)) AS effective_time_s,
        sum(v.speed_kmh) AS speed_sum_kmh
    FROM dwd.cg_speed AS v
    JOIN segments AS s ON s.segment_id = v.segment_id
    GROUP BY s.grp, epoch_us(v.ts) // 900000000
),
labelled AS (
    SELECT make_timestamp(a.bucket * 900000000) AS ts, l.town, l.road_class, a.records, a.samples,
           a.free_flow_time_s, a.effective_time_s, a.speed_sum_kmh
    FROM agg AS a
    JOIN (SELECT DISTINCT grp, town, road_class FROM segments) AS l ON l.grp = a.grp
)
SELECT
    ts,
    CAST(ts AS DATE) AS day,
    town,
    road_class,
    cn_day_type(CAST(ts AS DATE)) AS day_type,
    CASE WHEN cn_day_type(CAST(ts AS DATE)) = '工作日' THEN '工作日' ELSE '休息日' END AS day_class,
    hour(ts) AS hour,
    records,
    samples,
    free_flow_time_s / 3600.0 AS free_flow_time_h,
    effective_time_s / 3600.0 AS effective_time_h,
    speed_sum_kmh
FROM labelled
