-- Segments for the map (路况地图): geometry, PCI and grade, coloured by grade on the dashboard.
SELECT
    c.segment_id,
    c.road_id,
    c.road_name,
    c.road_class,
    c.town,
    c.length_m,
    c.pci,
    c.pci_grade,
    jtg5210_grade_rank(c.pci_grade) AS grade_rank,
    c.last_inspect_date,
    c.inspection_overdue,
    c.method,
    c.standard_version,
    s.wkt
FROM dws.road_segment_condition AS c
JOIN dwd.road_segment AS s USING (segment_id)
