"""Road facilities, inspections, pavement distress records and maintenance orders (一路一档).

Inspections recur per segment (roughly quarterly, some segments overdue); each inspection records
distresses from the JTG 5210-2018 lists for the segment's pavement type, with an area, so the
platform can compute DR and PCI. Older roads and heavier classes deteriorate faster.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth.config import SynthConfig
from lingshu.synth.rng import domain_rng

FACILITY_SPACING_M = {"路灯": 40.0, "窨井盖": 80.0, "交通标志": 250.0, "护栏": 400.0}
ASPHALT = ["龟裂", "块状裂缝", "纵向裂缝", "横向裂缝", "坑槽", "松散", "沉陷", "车辙", "波浪拥包", "泛油", "修补"]
CEMENT = ["裂缝", "板角断裂", "边角剥落", "破碎板", "错台", "接缝料损坏", "唧泥", "坑洞", "拱起", "露骨", "修补"]


def build_facilities(cfg: SynthConfig, segments: pd.DataFrame) -> pd.DataFrame:
    rng = domain_rng(cfg.seed, "facilities")
    parts = []
    for kind, spacing in FACILITY_SPACING_M.items():
        count = np.maximum(0, (segments["length_m"].to_numpy() / spacing).astype(int))
        seg = np.repeat(np.arange(len(segments)), count)
        t = rng.random(seg.size)
        s = segments.iloc[seg]
        parts.append(pd.DataFrame({
            "segment_id": s["segment_id"].to_numpy(), "road_id": s["road_id"].to_numpy(), "facility_type": kind,
            "lon": np.round(s["from_lon"].to_numpy() + t * (s["to_lon"].to_numpy() - s["from_lon"].to_numpy()), 6),
            "lat": np.round(s["from_lat"].to_numpy() + t * (s["to_lat"].to_numpy() - s["from_lat"].to_numpy()), 6),
            "install_year": rng.integers(2005, 2025, seg.size),
            "condition": np.array(["完好", "轻微损坏", "损坏"])[rng.choice(3, seg.size, p=[0.85, 0.11, 0.04])],
        }))
    df = pd.concat(parts, ignore_index=True).sort_values(["segment_id", "facility_type"], kind="stable").reset_index(drop=True)
    df.insert(0, "facility_id", [f"F{i + 1:07d}" for i in range(len(df))])
    return df


def build_inspections(cfg: SynthConfig, segments: pd.DataFrame, roads: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(inspections, distress records, maintenance orders)."""
    rng = domain_rng(cfg.seed, "inspections")
    width = segments["road_id"].map(roads.set_index("road_id")["width_m"]).to_numpy()
    year_built = segments["road_id"].map(roads.set_index("road_id")["year_built"]).to_numpy()
    end = np.datetime64(cfg.end_date)
    span = (end - np.datetime64(cfg.start_date)).astype(int)
    rows = []
    for i in range(len(segments)):
        interval = 91 if rng.random() > 0.1 else 200  # one in ten segments is inspected late (overdue)
        first = int(rng.integers(0, 60))
        for day in range(first, span, interval):
            rows.append((i, day))
    ins = pd.DataFrame(rows, columns=["seg", "day"])
    seg = ins["seg"].to_numpy()
    m = len(ins)
    ins_date = np.datetime64(cfg.start_date) + ins["day"].to_numpy()
    area = np.round(segments["length_m"].to_numpy()[seg] * width[seg], 1)
    age = (ins_date.astype("datetime64[Y]").astype(int) + 1970) - year_built[seg]
    inspections = pd.DataFrame({
        "inspection_id": [f"XJ{k + 1:08d}" for k in range(m)], "segment_id": segments["segment_id"].to_numpy()[seg],
        "inspect_date": np.datetime_as_string(ins_date, unit="D"), "method": np.where(rng.random(m) < 0.6, "人工巡查", "多功能检测车"),
        "surveyed_area_m2": area, "inspector": np.array(["养护一组", "养护二组", "检测中心"])[rng.integers(0, 3, m)],
    })
    # Distress: more for older roads; area as a small share of the surveyed area.
    lam = 0.6 + 0.12 * np.clip(age, 0, 25)
    cnt = rng.poisson(lam)
    di = np.repeat(np.arange(m), cnt)
    pav = segments["pavement_type"].to_numpy()[seg][di]
    types = np.where(pav == "沥青", np.array(ASPHALT)[rng.integers(0, len(ASPHALT), di.size)],
                     np.array(CEMENT)[rng.integers(0, len(CEMENT), di.size)])
    sev = np.array(["轻", "中", "重"])[rng.choice(3, di.size, p=[0.6, 0.3, 0.1])]
    darea = np.round(area[di] * rng.lognormal(-5.5, 1.0, di.size), 2)
    distress = pd.DataFrame({
        "distress_id": [f"BH{k + 1:08d}" for k in range(di.size)], "inspection_id": inspections["inspection_id"].to_numpy()[di],
        "segment_id": inspections["segment_id"].to_numpy()[di], "pavement_type": pav, "distress_type": types,
        "severity": sev, "area_m2": darea,
    })
    heavy = np.flatnonzero(sev == "重")
    created = ins_date[di[heavy]] + rng.integers(0, 5, heavy.size)
    done = rng.random(heavy.size) < 0.85
    orders = pd.DataFrame({
        "order_id": [f"YH{k + 1:07d}" for k in range(heavy.size)], "distress_id": distress["distress_id"].to_numpy()[heavy],
        "segment_id": distress["segment_id"].to_numpy()[heavy], "created_date": np.datetime_as_string(created, unit="D"),
        "completed_date": np.where(done, np.datetime_as_string(created + rng.integers(3, 45, heavy.size), unit="D"), ""),
        "status": np.where(done, "已完成", "待处理"),
    })
    return inspections, distress, orders
