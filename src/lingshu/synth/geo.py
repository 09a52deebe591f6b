"""Geography: Lingang's towns, communities, management grid cells, key areas and Dishui Lake.

Names are real (towns) or in the local style (communities); polygons are synthetic: each town is
a convex octagon cut from a cell placed roughly where the town lies, communities and grid cells
are the town clipped to a regular subdivision of its cell. Because every subdivision is a regular
grid, locating a point is arithmetic, not a spatial index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from lingshu.synth.polygons import Ring, clip_to_rect, points_in_polygon, ring_wkt
from lingshu.synth.rng import domain_rng

GEOMETRY_NOTE = "synthetic geometry (合成数据，非测绘成果)"
GRID_DLON = 0.012  # management grid cell, about 1.1 km east-west
GRID_DLAT = 0.010  # about 1.1 km north-south


@cache
def place_data() -> dict:
    """The embedded place-name file (towns, communities, roads, key areas)."""
    text = resources.files("lingshu.synth").joinpath("data/lingang.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass
class Geography:
    towns: pd.DataFrame  # town_id, town_name, district, district_code, town_code, wkt, + cell bounds
    communities: pd.DataFrame  # community_id, community_name, town_id, wkt
    grids: pd.DataFrame  # grid_id, town_id, community_id, wkt
    key_areas: pd.DataFrame  # area_id, area_name, kind, capacity, lon, lat, wkt
    rings: list[Ring]  # town polygons, indexed by town position
    lake: dict

    def locate_town(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the town containing each point, -1 outside every town."""
        out = np.full(lon.shape, -1, dtype=np.int64)
        for i, ring in enumerate(self.rings):
            out[(out < 0) & points_in_polygon(lon, lat, ring)] = i
        return out

    def in_lake(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        k = self.lake
        return ((lon - k["lon"]) / k["radius_lon"]) ** 2 + ((lat - k["lat"]) / k["radius_lat"]) ** 2 < 1.0

    def locate(self, lon: np.ndarray, lat: np.ndarray, town: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(community_id, grid_id) strings for points already known to lie in ``town``."""
        t = self.towns
        xmin = t["cell_xmin"].to_numpy()[town]
        ymin = t["cell_ymin"].to_numpy()[town]
        rows, cols = t["grid_rows"].to_numpy()[town], t["grid_cols"].to_numpy()[town]
        cw = (t["cell_xmax"].to_numpy()[town] - xmin) / cols
        ch = (t["cell_ymax"].to_numpy()[town] - ymin) / rows
        ci = np.clip(((lon - xmin) / cw).astype(np.int64), 0, cols - 1)
        ri = np.clip(((lat - ymin) / ch).astype(np.int64), 0, rows - 1)
        codes = t["town_id"].to_numpy().astype(str)[town]
        comm = np.char.add(np.char.add(codes, "C"), np.char.zfill((ri * cols + ci + 1).astype(str), 2))
        gi = ((lat - ymin) / GRID_DLAT).astype(np.int64)
        gj = ((lon - xmin) / GRID_DLON).astype(np.int64)
        grid = np.char.add(np.char.add(codes, np.char.zfill(gi.astype(str), 2)), np.char.zfill(gj.astype(str), 2))
        return comm, grid


def _town_ring(rng: np.random.Generator, cell: list[float]) -> Ring:
    """A convex octagon: the cell with its four corners cut by random amounts."""
    x0, x1, y0, y1 = cell
    cx, cy = (x1 - x0), (y1 - y0)
    cut = rng.uniform(0.08, 0.22, size=(4, 2))
    pts = [
        (x0 + cut[0, 0] * cx, y0), (x1 - cut[1, 0] * cx, y0), (x1, y0 + cut[1, 1] * cy),
        (x1, y1 - cut[2, 1] * cy), (x1 - cut[2, 0] * cx, y1), (x0 + cut[3, 0] * cx, y1),
        (x0, y1 - cut[3, 1] * cy), (x0, y0 + cut[0, 1] * cy),
    ]
    return [(round(x, 6), round(y, 6)) for x, y in pts]


def build_geography(seed: int) -> Geography:
    """Towns, communities, grid cells and key areas. Independent of scale: the map is the map."""
    data = place_data()
    rng = domain_rng(seed, "geo")
    towns, comms, grids, rings = [], [], [], []
    for i, t in enumerate(data["towns"]):
        x0, x1, y0, y1 = t["cell"]
        ring = _town_ring(rng, t["cell"])
        rings.append(ring)
        rows, cols = t["grid"]
        towns.append({
            "town_id": t["code"], "town_name": t["name"], "district": t["district"],
            "district_code": t["district_code"], "wkt": ring_wkt(ring), "cell_xmin": x0, "cell_xmax": x1,
            "cell_ymin": y0, "cell_ymax": y1, "grid_rows": rows, "grid_cols": cols, "town_index": i,
        })
        cw, ch = (x1 - x0) / cols, (y1 - y0) / rows
        for k, name in enumerate(t["communities"]):
            r, c = divmod(k, cols)
            part = clip_to_rect(ring, x0 + c * cw, x0 + (c + 1) * cw, y0 + r * ch, y0 + (r + 1) * ch)
            comms.append({
                "community_id": f"{t['code']}C{k + 1:02d}", "community_name": name, "town_id": t["code"],
                "town_name": t["name"], "wkt": ring_wkt(part),
            })
        n_gi, n_gj = int(np.ceil((y1 - y0) / GRID_DLAT)), int(np.ceil((x1 - x0) / GRID_DLON))
        for gi in range(n_gi):
            for gj in range(n_gj):
                part = clip_to_rect(ring, x0 + gj * GRID_DLON, min(x1, x0 + (gj + 1) * GRID_DLON),
                                    y0 + gi * GRID_DLAT, min(y1, y0 + (gi + 1) * GRID_DLAT))
                if len(part) < 3:
                    continue  # the cell lies in a cut corner, outside the town
                grids.append({"grid_id": f"{t['code']}{gi:02d}{gj:02d}", "town_id": t["code"],
                              "town_name": t["name"], "wkt": ring_wkt(part)})
    areas = []
    for j, a in enumerate(data["key_areas"]):
        hx, hy = a["half_lon"], a["half_lat"]
        ring = [(a["lon"] - hx, a["lat"] - hy), (a["lon"] + hx, a["lat"] - hy),
                (a["lon"] + hx, a["lat"] + hy), (a["lon"] - hx, a["lat"] + hy)]
        areas.append({"area_id": f"KA{j + 1:03d}", "area_name": a["name"], "kind": a["kind"],
                      "capacity": a["capacity"], "lon": a["lon"], "lat": a["lat"], "wkt": ring_wkt(ring)})
    return Geography(pd.DataFrame(towns), pd.DataFrame(comms), pd.DataFrame(grids), pd.DataFrame(areas),
                     rings, data["dishui_lake"])
