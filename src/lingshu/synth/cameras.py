"""Cameras (视频设备, 一机一档): GB/T 28181 codes, types, owners, coordinates, online status.

Two sources disagree the way real ones do: the ledger (Excel, kept by hand) and the video
platform's status API (HTTP), which knows which devices are online now. The ledger carries the
defects: malformed codes, coordinates in the wrong CRS or outside Lingang, missing fields,
duplicate rows for one device, mixed date formats.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth import defects as d
from lingshu.synth.codes import camera_codes
from lingshu.synth.config import SynthConfig
from lingshu.synth.geo import Geography
from lingshu.synth.polygons import metres_to_deg
from lingshu.synth.rng import domain_rng

# (industry code, type code, network flag, owner, weight) per kind of deployment.
KINDS = [
    ("00", "132", "5", "上海市公安局临港新片区分局", 0.30),
    ("04", "132", "5", "临港新片区交警支队", 0.15),
    ("05", "121", "5", "临港新片区交警支队", 0.10),
    ("01", "131", "6", "街镇城运中心", 0.15),
    ("08", "132", "6", "临港新片区城市运行管理中心", 0.15),
    ("40", "132", "8", "物业及企业自建(社会资源接入)", 0.15),
]
TYPE_NAMES = {"131": "摄像机", "132": "网络摄像机(IPC)", "121": "视频卡口"}
DIRECTIONS = ["东向西", "西向东", "南向北", "北向南"]
HEADERS = {"record_id": "序号", "device_code": "设备编码", "device_name": "设备名称", "device_type": "设备类型",
           "owner": "建设单位", "install_address": "安装地址", "lon": "经度", "lat": "纬度", "crs": "坐标系",
           "install_date": "安装日期", "town_name": "所属街镇"}


def build_cameras(cfg: SynthConfig, geo: Geography, segments: pd.DataFrame, addresses: pd.DataFrame) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "cameras")
    n = cfg.n(2_000, 40)
    k = rng.choice(len(KINDS), n, p=[w for *_, w in KINDS])
    on_road = np.isin(k, [1, 2]) | (rng.random(n) < 0.3)
    seg = segments.iloc[rng.integers(0, len(segments), n)]
    dlon, dlat = metres_to_deg(30.9)
    jitter = rng.uniform(-25, 25, (n, 2))
    road_lon = seg["from_lon"].to_numpy() + jitter[:, 0] * dlon
    road_lat = seg["from_lat"].to_numpy() + jitter[:, 1] * dlat
    adr = addresses.iloc[rng.integers(0, len(addresses), n)]
    lon = np.where(on_road, road_lon, adr["lon"].to_numpy() + jitter[:, 0] * dlon * 0.3)
    lat = np.where(on_road, road_lat, adr["lat"].to_numpy() + jitter[:, 1] * dlat * 0.3)
    town = geo.locate_town(lon, lat)
    # A road camera whose segment end lies outside every town moves to the address instead.
    moved = town < 0
    lon[moved], lat[moved] = adr["lon"].to_numpy()[moved], adr["lat"].to_numpy()[moved]
    on_road &= ~moved
    town = np.where(moved, adr["town_index"].to_numpy(), town)
    towns = geo.towns
    district_code = towns["district_code"].to_numpy()[town]
    centre = np.char.add(district_code.astype(str), "01")
    ind = np.array([x[0] for x in KINDS])[k]
    typ = np.array([x[1] for x in KINDS])[k]
    net = np.array([x[2] for x in KINDS])[k]
    codes = camera_codes(rng, centre, ind, typ, net)
    direction = np.array(DIRECTIONS)[rng.integers(0, 4, n)]
    road_name = seg["road_name"].to_numpy()
    name = np.where(on_road, np.char.add(np.char.add(road_name.astype(str), "_"), direction),
                    np.char.add(adr["full_address"].to_numpy().astype(str), np.where(rng.random(n) < 0.5, "_东门", "_出入口")))
    addr = np.where(on_road, np.char.add(towns["town_name"].to_numpy()[town].astype(str), road_name.astype(str)),
                    adr["full_address"].to_numpy().astype(str))
    install = np.datetime64("2016-01-01") + rng.integers(0, 3500, n)
    online = rng.random(n) < np.where(net == "8", 0.8, 0.94)
    return pd.DataFrame({
        "camera_id": [f"CAM{i + 1:06d}" for i in range(n)], "device_code": codes, "device_name": name,
        "device_type": pd.Series(typ).map(TYPE_NAMES).to_numpy(), "type_code": typ, "industry_code": ind,
        "network_code": net, "owner": np.array([x[3] for x in KINDS])[k], "install_address": addr,
        "lon": np.round(lon, 6), "lat": np.round(lat, 6), "crs": "WGS84", "on_road": on_road,
        "road_name": np.where(on_road, road_name, ""), "town_id": towns["town_id"].to_numpy()[town],
        "town_name": towns["town_name"].to_numpy()[town], "town_index": town,
        "install_date": np.datetime_as_string(install, unit="D"), "online": online,
    })


def _bad_code(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Malformed GB/T 28181 codes: a digit dropped, a letter typed in, or an unknown type code."""
    out = []
    for i, v in enumerate(values):
        style = i % 3
        out.append(v[:-1] if style == 0 else v[:12] + "O" + v[13:] if style == 1 else v[:10] + "999" + v[13:])
    return np.array(out, dtype=object)


def ledger_source(cfg: SynthConfig, cams: pd.DataFrame, gt: d.GroundTruth) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "cameras.ledger")
    src = "sp_camera_ledger"
    df = cams[["device_code", "device_name", "device_type", "owner", "install_address", "lon", "lat", "crs",
               "install_date", "town_name", "camera_id"]].copy()
    df.insert(0, "record_id", np.arange(1, len(df) + 1).astype(str))
    r = cfg.defects
    p = d.plan(rng, len(df), {"invalid_check": r.invalid_check, "crs_mislabel": r.crs_mislabel,
                              "out_of_area": r.out_of_area, "missing_required": r.missing_required,
                              "duplicate": r.duplicate, "mixed_date": r.mixed_date}, src)
    d.inject_values(df, p["invalid_check"], "device_code", "invalid_code", _bad_code, gt, src, "record_id", rng)
    d.inject_points(df, p["crs_mislabel"], p["out_of_area"], gt, src, "record_id", rng)
    d.inject_missing(df, p["missing_required"], ["owner", "install_address", "device_type"], gt, src, "record_id", rng)
    d.inject_values(df, p["mixed_date"], "install_date", "mixed_date", d.mixed_dates, gt, src, "record_id", rng)
    dups = df.iloc[p["duplicate"]].copy()
    dups["device_name"] = dups["device_name"].str.replace("_", "-", regex=False) + "(复核)"
    n0 = len(df)
    new_ids = np.arange(n0 + 1, n0 + len(dups) + 1).astype(str)
    gt.add(src, new_ids, "*", "duplicate", dups["record_id"], np.full(len(dups), "device_name:variant"))
    dups["record_id"] = new_ids
    df = pd.concat([df, dups], ignore_index=True)
    gt.link(src, df["record_id"], "camera", df["camera_id"])
    gt.rename_fields(src, HEADERS | {"lon,lat": "经度,纬度"})
    return df.drop(columns=["camera_id"]).rename(columns=HEADERS)


def status_source(cfg: SynthConfig, cams: pd.DataFrame) -> pd.DataFrame:
    """The video platform's view: code, online flag and last heartbeat (no defects: machine data)."""
    rng = domain_rng(cfg.seed, "cameras.status")
    end = np.datetime64(cfg.end_date) + np.timedelta64(1, "D")
    beat = end.astype("datetime64[s]") - np.where(cams["online"], rng.integers(5, 300, len(cams)),
                                                  rng.integers(3600, 86400 * 60, len(cams))).astype("timedelta64[s]")
    return pd.DataFrame({"deviceId": cams["device_code"], "status": np.where(cams["online"], "ON", "OFF"),
                         "lastHeartbeat": np.char.replace(np.datetime_as_string(beat, unit="s"), "T", " ")})
