"""Passenger counts per key area per 15 minutes (重点区域客流), and visitor origins per day.

Arrivals follow a daily profile by area kind (scenic areas peak in the afternoon, metro stations at
commuting hours); departures are arrivals delayed by a dwell time, so occupancy (cumulative in
minus out) is never negative and empties overnight. Weekends, holidays and events multiply visits;
rain dampens scenic areas. Holiday peaks reach the areas' capacity, which the alert levels need.

Last year's same holidays (``build_passenger_last_year``) come from the same model, about 8 % fewer
visits, on their own random stream: the history the big screen compares this year's holiday with.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lingshu.synth.calendar import RAIN_FACTOR, draw_weather, holiday_map, passenger_window
from lingshu.synth.config import SynthConfig
from lingshu.synth.geo import Geography
from lingshu.synth.rng import domain_rng

SLOTS = 96
DWELL_SLOTS = {"景区": 12, "商圈": 8, "场馆": 6, "地铁站": 1}  # mean stay in 15-minute slots
SOURCE = {"景区": "闸机+视频", "商圈": "视频", "场馆": "闸机", "地铁站": "闸机"}
DAY_MULT = {"工作日": 1.0, "周末": 1.8, "节假日": 3.2}
ORIGINS = ["上海市", "江苏省", "浙江省", "安徽省", "其他省份", "境外"]
ORIGIN_P = [0.62, 0.12, 0.1, 0.05, 0.1, 0.01]


GROWTH = 1.08  # this year's visits against last year's same holiday


def build_passenger(cfg: SynthConfig, geo: Geography, calendar: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = domain_rng(cfg.seed, "passenger")
    days = passenger_window(cfg)
    cal = calendar.set_index("date").loc[[d.isoformat() for d in days]]
    flows, origins = zip(*(_area_counts(rng, a, days, cal) for _, a in geo.key_areas.iterrows()), strict=True)
    return _flow_frame(flows), pd.concat(origins, ignore_index=True)


def build_passenger_last_year(cfg: SynthConfig, geo: Geography) -> pd.DataFrame:
    """15-minute counts on the days of last year's occurrence of each holiday in the passenger window."""
    rng = domain_rng(cfg.seed, "passenger_last_year")
    days = last_year_holidays(passenger_window(cfg))
    if not days:
        return _flow_frame([])
    cal = pd.DataFrame({"day_type": "节假日", "weather": draw_weather(rng, len(days)), "event_area_id": ""},
                       index=[d.isoformat() for d in days])
    flows = [_area_counts(rng, a, days, cal, level=1 / GROWTH)[0] for _, a in geo.key_areas.iterrows()]
    return _flow_frame(flows)


def holiday_year(day: dt.date) -> int:
    """The year a holiday's day belongs to: a December rest day is the next year's 元旦."""
    return day.year + (day.month == 12)


def last_year_holidays(days: list[dt.date]) -> list[dt.date]:
    """The dates of last year's occurrence of every holiday among ``days``: the same name, one
    ``holiday_year`` earlier (the rule ads.pf_holiday_yoy pairs them by)."""
    hol = holiday_map()
    wanted = {(hol[d], holiday_year(d) - 1) for d in days if d in hol}
    return sorted(d for d, name in hol.items() if (name, holiday_year(d)) in wanted)


def _area_counts(rng: np.random.Generator, a: pd.Series, days: list[dt.date], cal: pd.DataFrame,
                 level: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One area's 15-minute in/out counts over ``days`` and its visitor origins per day."""
    D = len(days)
    h = (np.arange(SLOTS) + 0.5) / 4
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
    daily = a["capacity"] * 0.35 * level * mult * rng.lognormal(0, 0.12, D)
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
    # Each day's slots from its own midnight: the days need not be consecutive.
    ts = (np.array([np.datetime64(d, "m") for d in days]).repeat(SLOTS)
          + np.tile(np.arange(SLOTS) * np.timedelta64(15, "m"), D))
    flow = pd.DataFrame({"area_id": a["area_id"], "area_name": a["area_name"],
                         "period_start": np.datetime_as_string(ts, unit="m"), "inflow": arrivals,
                         "outflow": outflow, "data_source": SOURCE[a["kind"]]})
    tot = arrivals.reshape(D, SLOTS).sum(axis=1)
    split = rng.multinomial(tot, ORIGIN_P)
    origin = pd.DataFrame({"area_id": a["area_id"], "date": np.repeat([d.isoformat() for d in days], len(ORIGINS)),
                           "origin": np.tile(ORIGINS, D), "visitors": split.ravel()})
    return flow, origin


def _flow_frame(flows) -> pd.DataFrame:
    if not flows:
        return pd.DataFrame(columns=["area_id", "area_name", "period_start", "inflow", "outflow", "data_source"])
    flow = pd.concat(flows, ignore_index=True)
    flow["period_start"] = flow["period_start"].str.replace("T", " ") + ":00"
    return flow
