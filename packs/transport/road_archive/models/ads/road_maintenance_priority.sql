-- Maintenance priority (养护优先级). Score 0-100, higher first:
--   need    = 100 - PCI                     pavement condition (JTG 5210), 60 %
--   class   = class_weight * 100            road class importance (快速路 1.0 ... 支路 0.4), 25 %
--   traffic = lanes / 8 * 100 (capped)      traffic exposure; lanes stand in for volume until a
--                                           traffic-count source is connected, 15 %
-- plus a 10-point bump when the last inspection found a deterioration of more than 5 points.
-- The weights are the bureau's policy, not a standard: change them here and the ranking follows.
WITH scored AS (
    SELECT
        c.*,
        100 - c.pci AS need,
        100 * c.class_weight AS class_score,
        least(100, 100 * c.lanes / 8.0) AS traffic_score
    FROM dws.road_segment_condition AS c
    WHERE c.pci IS NOT NULL
)
SELECT
    segment_id,
    road_id,
    road_name,
    road_class,
    town,
    length_m,
    pci,
    pci_grade,
    pci_change,
    last_inspect_date,
    open_orders,
    round(0.60 * need + 0.25 * class_score + 0.15 * traffic_score
          + CASE WHEN pci_change < -5 THEN 10 ELSE 0 END, 2) AS priority_score,
    row_number() OVER (ORDER BY 0.60 * need + 0.25 * class_score + 0.15 * traffic_score
                                + CASE WHEN pci_change < -5 THEN 10 ELSE 0 END DESC, segment_id) AS priority_rank,
    CASE WHEN pci_grade IN ('次', '差') THEN '大中修' WHEN pci_grade = '中' THEN '预防性养护' ELSE '日常养护' END
        AS suggested_action
FROM scored
