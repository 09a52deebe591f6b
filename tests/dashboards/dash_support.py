"""A test pack with every map layer kind (area, line, point, heat) over the Lingang basemap, a
workspace that holds it next to the built-in example pack, and the accounts the tests sign in as."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.dashboards.basemap import lingang_basemap
from support import write_files

PASSWORD = "0123456789ab"
LEVELS = ["畅通", "缓行", "拥堵"]

MAP_PACK = {
    "pack.yaml": """
        id: map_layers
        name: 测试：地图图层
        domain: example
        department: 测试部门
        sources:
          - name: poi
            kind: csv
            path: data/poi.csv
            target: ods.test_poi
            columns:
              - {name: poi_id, required: true}
              - {name: name, title: 名称}
              - {name: town, title: 所属镇}
              - {name: lon, type: DOUBLE}
              - {name: lat, type: DOUBLE}
              - {name: weight, type: DOUBLE}
              - {name: contact_phone, title: 联系电话}
              - {name: opened_on, type: DATE}
          - name: segments
            kind: csv
            path: data/segments.csv
            target: ods.test_segment
            columns:
              - {name: segment_id, required: true}
              - {name: road_name}
              - {name: level}
              - {name: wkt}
        models:
          - name: dwd.test_poi
            unique_key: [poi_id]
          - name: dwd.test_segment
            unique_key: [segment_id]
        indicators: indicators.yaml
        apis: [dwd.test_poi, dwd.test_segment]
        dashboards: [dashboards/layers.yaml]
        """,
    "models/dwd/test_poi.sql": """
        SELECT poi_id, name, town, lon, lat, weight, contact_phone, opened_on FROM ods.test_poi
        """,
    "models/dwd/test_segment.sql": """
        SELECT segment_id, road_name, level, wkt FROM ods.test_segment
        """,
    "indicators.yaml": """
        indicators:
          - id: poi_count
            name: 点位数
            definition: 点位数量。
            model: dwd.test_poi
            measure: {agg: count}
            dimensions: [town]
            time: {column: opened_on, grains: [month, year]}
            unit: 个
            precision: 0
        """,
    "dashboards/layers.yaml": """
        id: layers
        title: 测试地图图层
        refresh_seconds: 5
        big_screen: true
        filters:
          - {id: period, type: time, title: 时间, windows: [all, last_3_years, "2020-01-01..2023-01-01"], default: all}
          - {id: town, type: dimension, title: 所属镇, dimension: town, options_from: poi_count}
        charts:
          - id: poi_kpi
            type: kpi
            title: 点位
            indicators: [poi_count, example_enterprises.enterprise_count]
            layout: {x: 0, y: 0, w: 4, h: 2}
          - id: poi_by_town
            type: bar
            title: 各镇点位
            indicator: poi_count
            dimensions: [town]
            cross_filter: true
            layout: {x: 0, y: 2, w: 4, h: 4}
          - id: poi_map
            type: map
            title: 点位地图
            layers:
              - {type: area, title: 点位数, indicator: poi_count, dimension: town}
              - {type: line, title: 路段等级, dataset: dwd.test_segment, geometry: wkt, value: level, label: road_name,
                 colors: {畅通: "#2e7d32", 缓行: "#fbc02d", 拥堵: "#c62828"}}
              - {type: point, title: 点位, dataset: dwd.test_poi, lon: lon, lat: lat, label: name, cluster: true,
                 filter_columns: {town: town}, time_column: opened_on}
              - {type: heat, title: 热力, dataset: dwd.test_poi, lon: lon, lat: lat, value: weight,
                 filter_columns: {town: town}}
            layout: {x: 4, y: 0, w: 8, h: 6}
          - id: poi_table
            type: table
            title: 点位明细
            dataset: dwd.test_poi
            columns: [poi_id, name, town, contact_phone]
            order_by: poi_id
            page_size: 10
            filter_columns: {town: town}
            layout: {x: 0, y: 6, w: 12, h: 4}
        """,
}


def _csv(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def map_pack_files() -> dict[str, str]:
    """The pack's files, with points inside the basemap's towns and segments along its roads."""
    rng = random.Random(7)
    features = lingang_basemap()["features"]
    towns = [f for f in features if f["properties"]["layer"] == "town"]
    roads = [f for f in features if f["properties"]["layer"] == "road"][:12]
    poi = [["poi_id", "name", "town", "lon", "lat", "weight", "contact_phone", "opened_on"]]
    for i in range(80):
        town = towns[i % 5]  # five towns, sixteen points each
        ring = town["geometry"]["coordinates"][0]
        cx = sum(p[0] for p in ring) / len(ring)
        cy = sum(p[1] for p in ring) / len(ring)
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 5 * 365))
        poi.append([f"P{i:03d}", f"点位{i}", town["properties"]["name"], round(cx + rng.uniform(-0.01, 0.01), 6),
                    round(cy + rng.uniform(-0.008, 0.008), 6), rng.randint(1, 9), f"1380013{i:04d}", day.isoformat()])
    seg = [["segment_id", "road_name", "level", "wkt"]]
    for i, road in enumerate(roads):
        pts = road["geometry"]["coordinates"]
        seg.append([f"S{i:03d}", road["properties"]["name"], LEVELS[i % 3],
                    "LINESTRING(" + ", ".join(f"{x} {y}" for x, y in pts) + ")"])
    files = dict(MAP_PACK)
    return files, {"data/poi.csv": _csv(poi), "data/segments.csv": _csv(seg)}


def build_workspace(root: Path) -> Context:
    """A workspace with the example pack and the map pack, both run, and three accounts:
    ``wu`` (analyst, read/export grants on everything), ``nogrant`` (analyst without grants) and
    ``admin`` (admin + secadmin + reviewer + auditor)."""
    files, data = map_pack_files()
    pack_root = write_files(root / "packs" / "map_layers", files)
    for rel, text in data.items():  # CSV text is written as is (write_files would dedent it)
        (pack_root / rel).parent.mkdir(parents=True, exist_ok=True)
        (pack_root / rel).write_text(text, encoding="utf-8")
    ws = init_workspace(root / "ws", name="dash", pack_paths=[str(root / "packs")])
    ctx = Context(ws)
    for pack in ("example_enterprises", "map_layers"):
        report = ctx.run(pack)
        assert report.status == "success", report
    accounts, grants = ctx.security.accounts, ctx.security.grants
    accounts.add_user("wu", ["analyst"], password=PASSWORD, display_name="吴分析", department="数据局")
    accounts.add_user("nogrant", ["analyst"], password=PASSWORD)
    accounts.add_user("admin", ["admin", "secadmin", "reviewer", "auditor"], password=PASSWORD)
    grants.add("user:wu", "indicator:*", ["read", "export"], granted_by="admin")
    grants.add("user:wu", "dataset:*", ["read", "export"], granted_by="admin")
    return ctx
