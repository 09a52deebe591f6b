"""Floating-car speeds per road segment per 5 minutes (浮动车路段速度).

Speeds come from a free-flow speed per segment reduced by a time-of-day congestion profile whose
depth depends on road class and the segment (some are bottlenecks), the day type (workday peaks,
weekend and holiday leisure traffic near Dishui Lake), the weather and large events near the event
area. Intervals with no probe vehicle are simply absent, as in real feeds. One day at a time:
memory depends on the network, not on the number of days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from lingshu.synth.calendar import RAIN_FACTOR, window
from lingshu.synth.config import SynthConfig
from lingshu.synth.geo import Geography
from lingshu.synth.rng import domain_rng

INTERVALS = 288
CLASS_DEPTH = {"快速路": 0.55, "主干路": 0.5, "次干路": 0.4, "支路": 0.25}
CLASS_PROBES = {"快速路": 14.0, "主干路": 8.0, "次干路": 4.0, "支路": 1.5}
SCHEMA = pa.schema([("segment_id", pa.string()), ("ts", pa.timestamp("s")), ("speed_kmh", pa.float64()),
                    ("samples", pa.int32())])


def covered_segments(cfg: SynthConfig, segments: pd.DataFrame) -> pd.DataFrame:
    """Segments with probe coverage: every arterial, about a third of the local streets."""
    rng = domain_rng(cfg.seed, "traffic.coverage")
    keep = (segments["road_class"] != "支路").to_numpy() | (rng.random(len(segments)) < 0.33)
    return segments[keep].reset_index(drop=True)


def _bump(t: np.ndarray, centre_h: float, sigma_h: float) -> np.ndarray:
    return np.exp(-0.5 * ((t - centre_h) / sigma_h) ** 2)


def speed_days(cfg: SynthConfig, segs: pd.DataFrame, calendar: pd.DataFrame, geo: Geography) -> Iterator[tuple[dt.date, pa.Table]]:
    """(day, rows) for each day of the traffic window."""
    S = len(segs)
    t = (np.arange(INTERVALS) * 5 + 2.5) / 60.0  # interval centre, hours
    morning, evening = _bump(t, 8.0, 0.7), _bump(t, 17.75, 0.85)
    midday, leisure = _bump(t, 12.5, 1.5) * 0.3, _bump(t, 14.0, 2.5)
    night = (t < 5.5) | (t > 22.5)
    base_rng = domain_rng(cfg.seed, "traffic.segments")
    cls = segs["road_class"].to_numpy()
    vf = segs["speed_limit_kmh"].to_numpy() * segs["free_flow_factor"].to_numpy()
    depth = np.array([CLASS_DEPTH[c] for c in cls]) * base_rng.lognormal(0, 0.25, S)
    probes = np.array([CLASS_PROBES[c] for c in cls])
    lake = geo.lake
    near_lake = np.hypot((segs["mid_lon"] - lake["lon"]) / 0.04, (segs["mid_lat"] - lake["lat"]) / 0.035).to_numpy() < 1
    areas = geo.key_areas.set_index("area_id")
    seg_ids = np.repeat(segs["segment_id"].to_numpy().astype(str), INTERVALS)
    cal = calendar.set_index("date")
    for k, day in enumerate(window(cfg, cfg.n_traffic_days, 10)):
        rng = domain_rng(cfg.seed, "traffic.day", k)
        info = cal.loc[day.isoformat()]
        if info["day_type"] == "工作日":
            prof = morning[None, :] + evening[None, :] + midday[None, :]
        else:
            boost = 1.0 + 1.2 * near_lake * (info["day_type"] == "节假日")
            prof = 0.35 * morning[None, :] + 0.55 * evening[None, :] + 0.45 * leisure[None, :] * boost[:, None]
        rain = RAIN_FACTOR[info["weather"]]
        cong = depth[:, None] * prof * (1 + (1 - rain) * 2.5)
        if info["event"]:
            a = areas.loc[info["event_area_id"]]
            dist = np.hypot((segs["mid_lon"] - a["lon"]) / 0.02, (segs["mid_lat"] - a["lat"]) / 0.018).to_numpy()
            cong = cong + (0.45 * np.exp(-dist))[:, None] * _bump(t, 20.0, 1.3)[None, :]
        speed = vf[:, None] * rain * np.clip(1 - cong, 0.12, 1.0) * rng.lognormal(0, 0.07, (S, INTERVALS))
        speed[:, night] *= 1.04
        speed = np.round(np.clip(speed, 3.0, vf[:, None] * 1.2), 1)
        volume = 0.15 + morning + evening + midday + 0.6 * leisure - 0.12 * night
        samples = rng.poisson(probes[:, None] * np.clip(volume, 0.05, None)[None, :])
        keep = (samples > 0).ravel()
        start = np.datetime64(day, "s")
        ts = start + (np.arange(INTERVALS) * 300).astype("timedelta64[s]")
        table = pa.table({
            "segment_id": seg_ids[keep], "ts": np.tile(ts, S)[keep], "speed_kmh": speed.ravel()[keep],
            "samples": samples.ravel()[keep].astype(np.int32),
        }, schema=SCHEMA)
        yield day, table
