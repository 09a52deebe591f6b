"""Road network: real Lingang road names on synthetic geometry, split into segments.

Trunk roads follow hand-placed waypoints; the rings around Dishui Lake (环湖西一/二/三路, 沪城环路)
are arcs; 南汇新城镇's local roads radiate from the lake as the real city does; other towns get a
small grid of local roads. Segments are about a kilometre long: the unit of the floating-car speeds,
facilities, inspections and the pavement index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lingshu.synth.geo import Geography, place_data
from lingshu.synth.polygons import haversine_m, line_wkt
from lingshu.synth.rng import domain_rng

# Per class: (lanes choices, width per lane m, speed limit km/h, free-flow factor range).
CLASS_SPEC = {
    "快速路": ((6, 8), 3.75, 80, (0.95, 1.0)),
    "主干路": ((4, 6), 3.5, 60, (0.9, 1.0)),
    "次干路": ((2, 4), 3.5, 50, (0.85, 0.98)),
    "支路": ((2,), 3.25, 40, (0.8, 0.95)),
}
SEGMENT_TARGET_M = 1000.0
MAINTAINERS = ["临港新片区市政养护中心", "浦东新区公路管理署", "奉贤区道路养护所", "上海临港市政工程有限公司"]


@dataclass
class RoadNetwork:
    roads: pd.DataFrame
    segments: pd.DataFrame


def _densify(points: np.ndarray, step_deg: float = 0.001) -> np.ndarray:
    out = [points[:1]]
    for a, b in zip(points[:-1], points[1:], strict=True):
        k = max(1, int(np.ceil(np.hypot(*(b - a)) / step_deg)))
        t = np.linspace(0, 1, k + 1)[1:, None]
        out.append(a + (b - a) * t)
    return np.concatenate(out)


def _road_shapes(geo: Geography, rng: np.random.Generator) -> list[tuple[str, str, str, np.ndarray]]:
    """(name, class, home town name, polyline) for every road."""
    data = place_data()
    lake = data["dishui_lake"]
    shapes = []
    for r in data["trunk_roads"]:
        shapes.append((r["name"], r["class"], "", np.array(r["points"], dtype=float)))
    for r in data["ring_roads"]:
        ang = np.radians(np.linspace(r["start_deg"], r["end_deg"], 60))
        # Rings are circles on the ground: stretch latitude by the lake's aspect.
        aspect = lake["radius_lat"] / lake["radius_lon"]
        pts = np.c_[lake["lon"] + r["radius"] * np.cos(ang), lake["lat"] + r["radius"] * aspect * np.sin(ang)]
        shapes.append((r["name"], r["class"], "南汇新城镇", pts))
    for _, t in geo.towns.iterrows():
        names = data["local_roads"][t.town_name]
        x0, x1, y0, y1 = t.cell_xmin, t.cell_xmax, t.cell_ymin, t.cell_ymax
        for k, name in enumerate(names):
            cls = "次干路" if k < 2 else "支路"
            if t.town_name == "南汇新城镇":
                a = np.radians(360.0 * k / len(names) + rng.uniform(-8, 8))
                r0, r1 = 0.034, rng.uniform(0.055, 0.075)
                aspect = lake["radius_lat"] / lake["radius_lon"]
                pts = np.array([[lake["lon"] + r * np.cos(a), lake["lat"] + r * aspect * np.sin(a)] for r in (r0, r1)])
            elif k % 2 == 0:  # east-west
                y = y0 + (y1 - y0) * rng.uniform(0.15, 0.85)
                pts = np.array([[x0 + 0.06 * (x1 - x0), y], [x1 - 0.06 * (x1 - x0), y + rng.uniform(-0.004, 0.004)]])
            else:  # north-south
                x = x0 + (x1 - x0) * rng.uniform(0.15, 0.85)
                pts = np.array([[x, y0 + 0.06 * (y1 - y0)], [x + rng.uniform(-0.004, 0.004), y1 - 0.06 * (y1 - y0)]])
            shapes.append((name, cls, t.town_name, pts))
    return shapes


def build_roads(geo: Geography, seed: int) -> RoadNetwork:
    """Roads with base facts and their ~1 km segments (independent of scale)."""
    rng = domain_rng(seed, "roads")
    roads, segs = [], []
    town_ids = geo.towns["town_id"].to_numpy()
    for i, (name, cls, home, pts) in enumerate(_road_shapes(geo, rng)):
        road_id = f"R{i + 1:04d}"
        lanes_opts, lane_w, limit, ff = CLASS_SPEC[cls]
        lanes = int(rng.choice(lanes_opts))
        dense = _densify(pts)
        step = haversine_m(dense[:-1, 0], dense[:-1, 1], dense[1:, 0], dense[1:, 1])
        cum = np.r_[0.0, np.cumsum(step)]
        total = float(cum[-1])
        n_seg = max(1, int(round(total / SEGMENT_TARGET_M)))
        cuts = np.searchsorted(cum, np.linspace(0, total, n_seg + 1)[1:-1])
        bounds = [0, *cuts.tolist(), len(dense) - 1]
        pavement = "水泥混凝土" if rng.random() < 0.2 else "沥青"
        roads.append({
            "road_id": road_id, "road_name": name, "road_class": cls, "length_m": round(total, 1),
            "width_m": round(lanes * lane_w + (4.0 if cls in ("快速路", "主干路") else 1.0), 1), "lanes": lanes,
            "pavement_type": pavement, "year_built": int(rng.integers(2004, 2022)),
            "maintenance_unit": MAINTAINERS[int(rng.integers(len(MAINTAINERS)))], "speed_limit_kmh": limit,
            "home_town": home, "wkt": line_wkt(dense[:, 0], dense[:, 1]), "geometry_note": "synthetic",
        })
        for s, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            part = dense[a : b + 1]
            mid = part[len(part) // 2]
            segs.append({
                "segment_id": f"{road_id}-{s + 1:03d}", "road_id": road_id, "road_name": name, "road_class": cls,
                "seq": s + 1, "length_m": round(float(cum[b] - cum[a]), 1), "from_lon": part[0, 0],
                "from_lat": part[0, 1], "to_lon": part[-1, 0], "to_lat": part[-1, 1], "mid_lon": mid[0],
                "mid_lat": mid[1], "speed_limit_kmh": limit, "lanes": lanes, "pavement_type": pavement,
                "free_flow_factor": float(rng.uniform(*ff)), "wkt": line_wkt(part[:, 0], part[:, 1]),
            })
    seg = pd.DataFrame(segs)
    town = geo.locate_town(seg["mid_lon"].to_numpy(), seg["mid_lat"].to_numpy())
    seg["town_id"] = np.where(town >= 0, town_ids[np.maximum(town, 0)], "")
    return RoadNetwork(pd.DataFrame(roads), seg)
