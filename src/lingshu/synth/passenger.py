"""Passenger counts per key area per 15 minutes (重点区域客流), and visitor origins per day.

Arrivals follow a daily profile by area kind (scenic areas peak in the afternoon, metro stations at
commuting hours); departures are arrivals delayed by a dwell time, so occupancy (cumulative in
minus out) is never negative and empties overnight. Weekends, holidays and events multiply visits;
rain dampens scenic areas. Holiday peaks reach the areas' capacity, which the alert levels need.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lingshu.synth.calendar import RAIN_FACTOR, window
from lingshu.synth.config import SynthConfig
from lingshu.synth.geo import Geography
from lingshu.synth.rng import domain_rng

SLOTS = 96
DWELL_SLOTS = {"景区": 12, "商圈": 8, "场馆": 6, "地铁站": 1}  # mean stay in 15-minute slots
SOURCE = {"景区": "闸机+视频", "商圈": "视频", "场馆": "闸机", "地铁站": "闸机"}
DAY_MULT = {"工作日": 1.0, "周末": 1.8, "节假日": 3.2}
ORIGINS = ["上海市", "江苏省", "浙江省", "安徽省", "其他省份", "境外"]
ORIGIN_P = [0.62, 0.12, 0.1, 0.05, 0.1, 0.01]


def build_passenger(cfg: SynthConfig, geo: Geography, calendar: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = domain_rng(cfg.seed, "passenger")
    days = window(cfg, cfg.n_passenger_days, 30)
    cal = calendar.set_index("date").loc[[d.isoformat() for d in days]]
    D = len(days)
    h = (np.arange(SLOTS) + 0.5) / 4
    flows, origins = [], []
    for _, a in geo.key_areas.iterrows():
        if a["kind"] == "地铁站":
            prof = np.exp(-0.5 * ((h - 8.0) / 0.8) ** 2) + np.exp(-0.5 * ((h - 18.0) / 1.0) ** 2) + 0.2 * ((h > 6) & (h < 23))
        else:
            prof = np.exp(-0.5 * ((h - 14.0) / 2.6) ** 2) * ((h > 7) & (h < 22.5))
        prof = prof / prof.sum()
        mult = cal["day_type"].map(DAY_MULT).to_numpy()
        if a["kind"] == "地铁站":
            mult = np.where(cal["day_type"].to_numpy() == "工作日", 1.0, 0.7 * mult)
        else:
            mult = mult * cal["weather"].map(RAIN_FACTOR).to_numpy() ** 3
        mult = mult * np.where(cal["event_area_id"].to_numpy() == a["area_id"], 2.0, 1.0)
        # Daily visits: about a third of capacity on a workday, capacity-level on holidays.
        daily = a["capacity"] * 0.35 * mult * rng.lognormal(0, 0.12, D)
        arrivals = rng.poisson((daily[:, None] * prof[None, :]).ravel()).astype(np.int64)
        dwell = DWELL_SLOTS[a["kind"]]
        kernel = np.diff(np.r_[0.0, 1 - (1 - 1 / dwell) ** np.arange(1, 8 * dwell + 1)])
        kernel[-1] += 1 - kernel.sum()
        out_cum = np.floor(np.cumsum(np.convolve(arrivals, kernel)[: arrivals.size]) + 1e-9).astype(np.int64)
        in_cum = np.cumsum(arrivals)
        # Night closing: everybody still inside leaves in the last slot of the day.
        day_end = np.arange(D) * SLOTS + SLOTS - 1
        out_cum = np.minimum(out_cum, in_cum)
        for e in day_end:
            out_cum[e:] = np.maximum(out_cum[e:], in_cum[e])
        outflow = np.diff(np.r_[0, out_cum])
        ts = (np.datetime64(days[0], "m") + np.arange(D * SLOTS) * np.timedelta64(15, "m"))
        flows.append(pd.DataFrame({"area_id": a["area_id"], "area_name": a["area_name"],
                                   "period_start": np.datetime_as_string(ts, unit="m"), "inflow": arrivals,
                                   "outflow": outflow, "data_source": SOURCE[a["kind"]]}))
        tot = arrivals.reshape(D, SLOTS).sum(axis=1)
        split = rng.multinomial(tot, ORIGIN_P)
        origins.append(pd.DataFrame({"area_id": a["area_id"], "date": np.repeat([d.isoformat() for d in days], len(ORIGINS)),
                                     "origin": np.tile(ORIGINS, D), "visitors": split.ravel()}))
    flow = pd.concat(flows, ignore_index=True)
    flow["period_start"] = flow["period_start"].str.replace("T", " ") + ":00"
    return flow, pd.concat(origins, ignore_index=True)
