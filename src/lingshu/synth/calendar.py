"""Calendar of the event windows: day types, official holidays, weather and large events.

Holidays are the State Council's published rest days for 2023-2026 (make-up workdays are not
modelled). The traffic and passenger windows are anchored on the last National Day holiday inside
the history window, so the demo always shows a holiday peak.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lingshu.synth.config import SynthConfig
from lingshu.synth.rng import domain_rng

HOLIDAYS = {
    "元旦": [("2023-01-01", 2), ("2024-01-01", 1), ("2025-01-01", 1), ("2026-01-01", 3)],
    "春节": [("2023-01-21", 7), ("2024-02-10", 8), ("2025-01-28", 8), ("2026-02-15", 9)],
    "清明节": [("2023-04-05", 1), ("2024-04-04", 3), ("2025-04-04", 3)],
    "劳动节": [("2023-04-29", 5), ("2024-05-01", 5), ("2025-05-01", 5)],
    "端午节": [("2023-06-22", 3), ("2024-06-10", 1), ("2025-05-31", 3)],
    "中秋节": [("2024-09-15", 3)],
    "国庆节": [("2023-09-29", 8), ("2024-10-01", 7), ("2025-10-01", 8)],
}
WEATHER = ["晴", "多云", "阴", "小雨", "中雨", "大雨"]
WEATHER_P = [0.35, 0.25, 0.15, 0.14, 0.08, 0.03]
RAIN_FACTOR = {"晴": 1.0, "多云": 1.0, "阴": 0.98, "小雨": 0.92, "中雨": 0.86, "大雨": 0.78}
EVENTS = [("滴水湖音乐节", "KA001"), ("临港马拉松", "KA001"), ("海昌海洋公园夜场活动", "KA002"), ("港城广场购物节", "KA003"),
          ("航海博物馆特展", "KA004")]


def holiday_map() -> dict[dt.date, str]:
    out = {}
    for name, spans in HOLIDAYS.items():
        for first, days in spans:
            d0 = dt.date.fromisoformat(first)
            for k in range(days):
                out[d0 + dt.timedelta(days=k)] = name
    return out


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


def build_calendar(cfg: SynthConfig) -> pd.DataFrame:
    """One row per day of the union of event windows: day type, holiday, weather, event."""
    days = sorted(set(window(cfg, cfg.n_traffic_days, 10)) | set(window(cfg, cfg.n_passenger_days, 30)))
    rng = domain_rng(cfg.seed, "calendar")
    hol = holiday_map()
    n = len(days)
    weather = np.array(WEATHER)[rng.choice(len(WEATHER), n, p=WEATHER_P)]
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
