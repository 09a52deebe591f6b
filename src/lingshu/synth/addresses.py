"""The standard address base (标准地址库, 门牌地址): door and lane addresses along named roads.

Points are placed beside road segments, so an address's road is the road it is actually on, and
door numbers grow along the road with odd numbers on one side and even on the other (the Shanghai
convention). Points that fall outside every town or in Dishui Lake are dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth.config import SynthConfig
from lingshu.synth.geo import Geography
from lingshu.synth.polygons import metres_to_deg
from lingshu.synth.rng import domain_rng
from lingshu.synth.roads import RoadNetwork


def build_addresses(cfg: SynthConfig, geo: Geography, net: RoadNetwork) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "addresses")
    # A town has as many doors as it has, not more per scale: the base grows with scale up to
    # 100,000 addresses (about Lingang's real order of size), then people share addresses.
    n = min(cfg.n(20_000, 300), 100_000)
    seg = net.segments[net.segments["road_class"] != "快速路"].reset_index(drop=True)
    # Distance of each segment's start along its road, for door numbering.
    start = seg.groupby("road_id")["length_m"].cumsum() - seg["length_m"]
    m = int(n * 1.6) + 50
    w = seg["length_m"].to_numpy()
    idx = rng.choice(len(seg), size=m, p=w / w.sum())
    t = rng.random(m)
    side = np.where(rng.random(m) < 0.5, 1.0, -1.0)
    offset = rng.uniform(15, 150, m) * side
    fx, fy = seg["from_lon"].to_numpy()[idx], seg["from_lat"].to_numpy()[idx]
    tx, ty = seg["to_lon"].to_numpy()[idx], seg["to_lat"].to_numpy()[idx]
    dlon_m, dlat_m = metres_to_deg(30.9)
    dx, dy = (tx - fx) / dlon_m, (ty - fy) / dlat_m  # metres
    norm = np.hypot(dx, dy) + 1e-9
    lon = fx + t * (tx - fx) + (-dy / norm) * offset * dlon_m
    lat = fy + t * (ty - fy) + (dx / norm) * offset * dlat_m
    town = geo.locate_town(lon, lat)
    keep = (town >= 0) & ~geo.in_lake(lon, lat)
    dist = start.to_numpy()[idx] + t * seg["length_m"].to_numpy()[idx]
    number = 2 * (dist // 12).astype(np.int64) + np.where(side > 0, 1, 2)
    residential = rng.random(m) < 0.5
    bldg = rng.integers(1, 60, m)
    road = seg["road_name"].to_numpy()[idx]
    towns = geo.towns
    df = pd.DataFrame({
        "town_index": town, "lon": np.round(lon, 6), "lat": np.round(lat, 6), "road_name": road,
        "number": number, "residential": residential, "bldg": bldg, "keep": keep,
    })
    df = df[df["keep"]].copy()
    ti = df["town_index"].to_numpy()
    df["district"] = towns["district"].to_numpy()[ti]
    df["town_id"] = towns["town_id"].to_numpy()[ti]
    df["town_name"] = towns["town_name"].to_numpy()[ti]
    num = df["number"].astype(str)
    df["lane"] = np.where(df["residential"], num + "弄", "")
    df["door_no"] = np.where(df["residential"], df["bldg"].astype(str) + "号", num + "号")
    df["address_type"] = np.where(df["residential"], "小区楼栋", "门牌")
    df["full_address"] = "上海市" + df["district"] + df["town_name"] + df["road_name"] + df["lane"] + df["door_no"]
    df = df.drop_duplicates("full_address").head(n).reset_index(drop=True)
    comm, grid = geo.locate(df["lon"].to_numpy(), df["lat"].to_numpy(), df["town_index"].to_numpy())
    df["community_id"] = comm
    df["grid_id"] = grid
    df.insert(0, "address_id", [f"A{i + 1:08d}" for i in range(len(df))])
    df["crs"] = "WGS84"
    df["geometry_note"] = "synthetic"
    cols = ["address_id", "district", "town_id", "town_name", "community_id", "grid_id", "road_name", "lane",
            "door_no", "address_type", "full_address", "lon", "lat", "crs", "geometry_note", "town_index"]
    return df[cols]
