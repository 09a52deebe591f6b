"""Floating-car benchmark data: SEGMENTS segments x DAYS days x 288 five-minute intervals.

The synthetic world's network has ~700 segments, so the benchmarks build a bigger one in SQL:
segment attributes are drawn like the synthetic world's (class, limit, free-flow factor, town),
and speeds follow the same shape as ``lingshu.synth.traffic`` (free flow reduced by morning and
evening peaks whose depth depends on class and segment, lognormal noise). Every interval is
present, so 2,000 x 30 x 288 = 17,280,000 records. Deterministic (setseed).
"""

from __future__ import annotations

from typing import Any

TOWNS = ["南汇新城镇", "泥城镇", "书院镇", "万祥镇", "大团镇", "海湾镇", "奉城镇", "金汇镇", "青村镇", "四团镇", "小洋山"]
CLASSES = [("快速路", 80, 0.55), ("主干路", 60, 0.5), ("次干路", 50, 0.4), ("支路", 40, 0.25)]


def build(con: Any, segments: int = 2000, days: int = 30, start: str = "2025-09-21") -> None:
    """Create dwd.road_segment and dwd.cg_speed on a DuckDB connection (the pack's input tables)."""
    towns = ", ".join(f"'{t}'" for t in TOWNS)
    classes = ", ".join(f"('{c}', {lim}, {depth})" for c, lim, depth in CLASSES)
    con.execute("CREATE SCHEMA IF NOT EXISTS dwd")
    con.execute("SELECT setseed(0.42)")
    con.execute(f"""
        CREATE OR REPLACE TABLE dwd.road_segment AS
        WITH c(road_class, speed_limit_kmh, depth) AS (VALUES {classes})
        SELECT
            printf('B%05d', i) AS segment_id,
            printf('BR%04d', i // 10) AS road_id,
            '基准道路' || (i // 10) AS road_name,
            c.road_class,
            ([{towns}])[1 + i % {len(TOWNS)}] AS town,
            round(600 + random() * 800, 1) AS length_m,
            c.speed_limit_kmh,
            c.speed_limit_kmh * (0.85 + random() * 0.15) AS true_free_flow,
            c.depth * exp(0.25 * (random() - 0.5)) AS depth
        FROM range({segments}) AS r(i)
        JOIN c ON c.road_class = (['快速路', '主干路', '次干路', '支路'])[1 + i % 4]
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE dwd.cg_speed AS
        WITH t AS (
            SELECT TIMESTAMP '{start}' + INTERVAL (k * 5) MINUTE AS ts,
                   ((k % 288) * 5 + 2.5) / 60.0 AS h
            FROM range({days} * 288) AS r(k)
        ),
        prof AS (
            SELECT ts, exp(-0.5 * ((h - 8.0) / 0.7) ^ 2) + exp(-0.5 * ((h - 17.75) / 0.85) ^ 2)
                       + 0.3 * exp(-0.5 * ((h - 12.5) / 1.5) ^ 2) AS p,
                   isodow(ts) >= 6 AS weekend
            FROM t
        )
        SELECT
            s.segment_id,
            prof.ts,
            CAST(prof.ts AS DATE) AS day,
            round(greatest(3.0, s.true_free_flow
                  * greatest(0.12, 1 - s.depth * prof.p * CASE WHEN prof.weekend THEN 0.4 ELSE 1 END)
                  * exp(0.07 * sqrt(-2 * ln(random() + 1e-12)) * cos(6.283185307 * random()))), 1) AS speed_kmh,
            1 AS samples
        FROM dwd.road_segment AS s CROSS JOIN prof
    """)
