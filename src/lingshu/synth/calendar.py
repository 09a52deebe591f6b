"""Calendar of the event windows: day types, official holidays, weather and large events.

Holidays are the State Council's published rest days for 2023-2026 (make-up workdays are not
modelled). The traffic and passenger windows are anchored on the last National Day holiday inside
the history window, so the demo always shows a holiday peak.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lingshu.analysis.holidays import rest_days
from lingshu.synth.config import SynthConfig
from lingshu.synth.rng import domain_rng

WEATHER = ["晴", "多云", "阴", "小雨", "中雨", "大雨"]
WEATHER_P = [0.35, 0.25, 0.15, 0.14, 0.08, 0.03]
RAIN_FACTOR = {"晴": 1.0, "多云": 1.0, "阴": 0.98, "小雨": 0.92, "中雨": 0.86, "大雨": 0.78}
EVENTS = [("滴水湖音乐节", "KA001"), ("临港马拉松", "KA001"), ("海昌海洋公园夜场活动", "KA002"), ("港城广场购物节", "KA003"),
          ("航海博物馆特展", "KA004")]


def holiday_map() -> dict[dt.date, str]:
    """The official rest days: the same table the packs' day-type functions use."""
    return rest_days()


def anchor(cfg: SynthConfig) -> dt.date:
    """The last National Day (Oct 1) inside the history window, else the window end."""
    for year in range(cfg.end_date.year, cfg.start_date.year - 1, -1):
        d = dt.date(year, 10, 1)
        if cfg.start_date <= d <= cfg.end_date:
            return d
    return cfg.end_date


def window(cfg: SynthConfig, days: int, lead: int) -> list[dt.date]:
    """``days`` consecutive days starting ``lead`` days before the anchor, kept inside the history."""
    start = min(anchor(cfg) - dt.timedelta(days=lead), cfg.end_date - dt.timedelta(days=days - 1))
    start = max(start, cfg.start_date)
    return [start + dt.timedelta(days=k) for k in range(days)]


def draw_weather(rng: np.random.Generator, n: int) -> np.ndarray:
    """The weather of ``n`` days, drawn independently with the climate's frequencies."""
    return np.array(WEATHER)[rng.choice(len(WEATHER), n, p=WEATHER_P)]


def passenger_window(cfg: SynthConfig) -> list[dt.date]:
    """The passenger days: up to 30 days before National Day, but always the holiday itself and the
    days after it (10 from the anchor on), so a short test world still has a holiday to compare."""
    days = cfg.n_passenger_days
    return window(cfg, days, min(30, max(0, days - 10)))


def build_calendar(cfg: SynthConfig) -> pd.DataFrame:
    """One row per day of the union of event windows: day type, holiday, weather, event."""
    days = sorted(set(window(cfg, cfg.n_traffic_days, 10)) | set(passenger_window(cfg)))
    rng = domain_rng(cfg.seed, "calendar")
    hol = holiday_map()
    n = len(days)
    weather = draw_weather(rng, n)
    event = np.full(n, "", dtype=object)
    event_area = np.full(n, "", dtype=object)
    # Roughly one large event every two weeks, on a weekend or holiday.
    for i, d in enumerate(days):
        if (d.weekday() >= 5 or d in hol) and rng.random() < 0.25:
            name, area = EVENTS[int(rng.integers(len(EVENTS)))]
            event[i], event_area[i] = name, area
    day_type = ["节假日" if d in hol else "周末" if d.weekday() >= 5 else "工作日" for d in days]
    return pd.DataFrame({"date": [d.isoformat() for d in days], "day_type": day_type,
                         "holiday": [hol.get(d, "") for d in days], "weather": weather,
                         "event": event, "event_area_id": event_area})
