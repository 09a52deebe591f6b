"""The Lingang basemap (towns, roads, water) as GeoJSON, drawn from the platform's own layers.

The synthetic world generator (``lingshu.synth``) holds the towns, roads and Dishui Lake every
scenario uses, so the basemap is built from it: the map a dashboard draws is the map the data was
placed on. A snapshot of the same layers ships in ``data/lingang_basemap.geojson`` for
installations without the generator. Every geometry is synthetic (合成数据，非测绘成果); no tile or
shape is ever fetched from the internet.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

SEED = 20240501  # the basemap is the same on every installation
NOTE = "synthetic geometry (合成数据，非测绘成果)"
LAKE_VERTICES = 48
ROAD_STEP = 4  # keep every 4th vertex of the generator's densified roads: enough at dashboard scale


def _wkt_coords(wkt: str) -> list[list[float]]:
    body = wkt[wkt.index("(") :].strip("() ")
    return [[float(v) for v in pair.split()] for pair in body.split(",")]


def _from_synth() -> dict[str, Any]:
    from lingshu.synth.geo import build_geography
    from lingshu.synth.roads import build_roads

    geo = build_geography(SEED)
    features = []
    for _, t in geo.towns.iterrows():
        features.append({"type": "Feature", "properties": {"layer": "town", "name": t.town_name, "code": t.town_id},
                         "geometry": {"type": "Polygon", "coordinates": [_wkt_coords(t.wkt)]}})
    lake = geo.lake
    ring = [[round(lake["lon"] + lake["radius_lon"] * math.cos(a), 6), round(lake["lat"] + lake["radius_lat"] * math.sin(a), 6)]
            for a in (2 * math.pi * i / LAKE_VERTICES for i in range(LAKE_VERTICES))]
    features.append({"type": "Feature", "properties": {"layer": "water", "name": lake.get("name", "滴水湖")},
                     "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}})
    for _, r in build_roads(geo, SEED).roads.iterrows():
        pts = _wkt_coords(r.wkt)
        pts = [*pts[:-1:ROAD_STEP], pts[-1]]
        features.append({"type": "Feature", "properties": {"layer": "road", "name": r.road_name, "class": r.road_class},
                         "geometry": {"type": "LineString", "coordinates": [[round(x, 5), round(y, 5)] for x, y in pts]}})
    return {"type": "FeatureCollection", "name": "lingang_basemap", "note": NOTE, "features": features}


def _snapshot() -> dict[str, Any]:
    text = resources.files("lingshu.dashboards").joinpath("data/lingang_basemap.geojson").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def lingang_basemap() -> dict[str, Any]:
    """The basemap FeatureCollection; ``properties.layer`` is town, water or road."""
    try:
        return _from_synth()
    except Exception:  # noqa: BLE001 - generator missing or changed: the shipped snapshot has the same layers
        return _snapshot()


def area_names(layer: str = "town") -> list[str]:
    return [f["properties"]["name"] for f in lingang_basemap()["features"] if f["properties"]["layer"] == layer]


if __name__ == "__main__":  # refresh the shipped snapshot: python -m lingshu.dashboards.basemap
    from pathlib import Path

    out = Path(__file__).parent / "data" / "lingang_basemap.geojson"
    out.write_text(json.dumps(_from_synth(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {out}")
