"""Map layers over the Lingang basemap, as ECharts ``geo`` series.

The browser registers the basemap polygons (towns, Dishui Lake) as the map ``lingang`` and draws
the roads under every map; this module shapes the declared layers: polygons coloured by an
indicator value, lines coloured by a level, clustered points and a heat surface. Layer builders
live in a registry keyed by layer type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lingshu.core.registry import Registry
from lingshu.dashboards.basemap import area_names

if TYPE_CHECKING:
    from lingshu.dashboards.kinds import ChartData
    from lingshu.dashboards.spec import MapLayer

MAP_NAME = "lingang"
NO_DATA = "rgba(144, 164, 174, 0.25)"
# Colours for line levels without a declared colour: green to red, like traffic maps.
LEVEL_PALETTE = ["#2e7d32", "#9ccc65", "#fbc02d", "#f57c00", "#c62828", "#6a1b9a"]

LayerBuilder = Callable[[int, "MapLayer", Any], tuple[list[dict[str, Any]], list[dict[str, Any]]]]
LAYERS: Registry[LayerBuilder] = Registry("map layer type")


def parse_line_wkt(text: str | None) -> list[list[list[float]]]:
    """LINESTRING or MULTILINESTRING WKT -> list of [lon, lat] polylines (others -> [])."""
    if not text:
        return []
    head, _, body = text.strip().partition("(")
    kind = head.strip().upper()
    if kind not in ("LINESTRING", "MULTILINESTRING"):
        return []
    parts = body.rstrip(") ").replace("(", "").split("),") if kind == "MULTILINESTRING" else [body.rstrip(") ")]
    lines = []
    for part in parts:
        pts = [[float(v) for v in pair.split()[:2]] for pair in part.replace(")", "").split(",") if pair.strip()]
        if len(pts) >= 2:
            lines.append(pts)
    return lines


@LAYERS.register("area")
def _area(i: int, layer: MapLayer, payload: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    values = payload["values"]
    nums = [v for v in values.values() if v is not None]
    # Every polygon gets an item: one without a value is drawn as "no data", not left to the
    # visual map (which would paint it with a mid colour).
    data = [{"name": k, "value": v} for k, v in values.items()]
    data += [{"name": n, "value": None, "itemStyle": {"areaColor": NO_DATA}} for n in area_names(layer.dimension_layer)
             if n not in values]
    series = {"id": f"layer{i}", "name": layer.title or payload["name"], "type": "map", "geoIndex": 0, "data": data}
    low = min(0.0, *nums) if nums else 0.0  # counts and sums start at zero, so one town is not "lowest"
    visual = {"type": "continuous", "seriesIndex": None, "min": low, "max": max(nums, default=1) or 1,
              "calculable": True, "left": 8, "bottom": 8, "text": ["高", "低"],
              "inRange": {"color": ["#e3f2fd", "#64b5f6", "#1565c0"]}, "dimension": 0}
    return [series], [visual]


@LAYERS.register("line")
def _line(i: int, layer: MapLayer, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    levels = sorted({str(r["value"]) for r in rows if r.get("value") is not None})
    colour = {lv: layer.colors.get(lv, LEVEL_PALETTE[k % len(LEVEL_PALETTE)]) for k, lv in enumerate(levels)}
    data = []
    for r in rows:
        for coords in parse_line_wkt(r.get("geometry")):
            level = None if r.get("value") is None else str(r["value"])
            data.append({"name": r.get("label") or "", "coords": coords, "level": level,
                         "lineStyle": {"color": colour.get(level or "", "#90a4ae")}})
    series = {"id": f"layer{i}", "name": layer.title or "线路", "type": "lines", "coordinateSystem": "geo",
              "polyline": True, "lineStyle": {"width": 4, "opacity": 0.9}, "zlevel": 2, "data": data}
    return [series], []


@LAYERS.register("point")
def _point(i: int, layer: MapLayer, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    points = cluster(rows, layer.cluster_size) if layer.cluster else [
        {"name": r.get("label") or "", "value": [r["lon"], r["lat"], 1]} for r in rows]
    top = max((p["value"][2] for p in points), default=1)
    for p in points:
        n = p["value"][2]
        p["symbolSize"] = 8 + 22 * (n / top) ** 0.5 if layer.cluster else 8
        if layer.cluster and n > 1:
            p["label"] = {"show": True, "formatter": str(n)}
    series = {"id": f"layer{i}", "name": layer.title or "点位", "type": "scatter", "coordinateSystem": "geo",
              "zlevel": 3, "itemStyle": {"color": "#ef6c00", "borderColor": "#fff", "borderWidth": 1},
              "label": {"show": False, "color": "#fff", "fontWeight": "bold"}, "data": points}
    return [series], []


@LAYERS.register("heat")
def _heat(i: int, layer: MapLayer, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = [[r["lon"], r["lat"], r.get("value") or 1] for r in rows]
    top = max((d[2] for d in data), default=1)
    series = {"id": f"layer{i}", "name": layer.title or "热力", "type": "heatmap", "coordinateSystem": "geo",
              "pointSize": 12, "blurSize": 18, "zlevel": 1, "data": data}
    visual = {"type": "continuous", "seriesIndex": None, "min": 0, "max": top, "show": False,
              "inRange": {"color": ["#1a237e", "#00e5ff", "#76ff03", "#ffea00", "#ff3d00"]}}
    return [series], [visual]


def cluster(rows: list[dict[str, Any]], size: float) -> list[dict[str, Any]]:
    """Merge points falling in the same ``size``-degree cell into one marker at their centroid."""
    cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for r in rows:
        if r.get("lon") is None or r.get("lat") is None:
            continue
        cells.setdefault((int(r["lon"] // size), int(r["lat"] // size)), []).append(r)
    out = []
    for members in cells.values():
        n = len(members)
        lon = sum(m["lon"] for m in members) / n
        lat = sum(m["lat"] for m in members) / n
        name = members[0].get("label") or "" if n == 1 else f"{n} 个点位"
        out.append({"name": name, "value": [round(lon, 6), round(lat, 6), n]})
    return out


def map_option(data: ChartData) -> dict[str, Any]:
    series: list[dict[str, Any]] = []
    visuals: list[dict[str, Any]] = []
    for i, (layer, payload) in enumerate(data.extra["layers"]):
        s, v = LAYERS.get(layer.type.value)(i, layer, payload)
        for vm in v:
            vm["seriesIndex"] = len(series)  # the browser appends the basemap roads after these
            visuals.append(vm)
        series.extend(s)
    return {
        "tooltip": {"trigger": "item"},
        "geo": {"map": MAP_NAME, "roam": True, "zoom": 1.1, "label": {"show": True, "fontSize": 11},
                "itemStyle": {"areaColor": "#eceff1", "borderColor": "#78909c"},
                "emphasis": {"label": {"show": True}, "itemStyle": {"areaColor": "#ffe082"}},
                "regions": [{"name": "滴水湖", "itemStyle": {"areaColor": "#81d4fa", "borderColor": "#4fc3f7"},
                             "label": {"color": "#01579b"}}]},
        "visualMap": visuals,
        "series": series,
    }
