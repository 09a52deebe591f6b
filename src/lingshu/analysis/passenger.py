"""Key-area passenger flow: occupancy with drift correction and a short-term forecast.

The passenger_flow pack computes both in SQL (``dws/pf_area_15min.sql``, ``ads/pf_forecast.sql``);
these are the Python references the tests compare it with, written with numpy/pandas only.

Occupancy. Counted entries and exits drift apart (a camera over-counts exits, a gate misses
entries). Each area empties overnight, so the balance restarts at zero every day, and a negative
running balance is read as entries that were missed: occupancy_t = max(0, occupancy_{t-1} + in_t -
out_t) (a Lindley recursion). Its closed form, raw_t - min(0, min_{s<=t} raw_s), is what the SQL
uses. Whatever is left at the end of the day is reported, not redistributed.

Forecast (seasonal profile x recent level). The profile of a 15-minute slot is the mean of that
slot over the previous ``window`` days of the same class as its day (工作日 or 休息日), from days
strictly before it, so every forecast is out of sample; the level is the last ``recent`` slots'
inflow divided by their profile (1 when the profile is nearly empty, clamped to [0.25, 4]); the
forecast of each of the next ``horizon`` slots is profile x level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SLOTS_PER_DAY = 96


def drift_corrected_occupancy(inflow: np.ndarray, outflow: np.ndarray) -> np.ndarray:
    """Occupancy of one area over one day, never negative (see the module docstring)."""
    raw = np.cumsum(np.asarray(inflow, dtype=np.int64) - np.asarray(outflow, dtype=np.int64))
    return raw - np.minimum(0, np.minimum.accumulate(raw))


def drift_corrected_occupancy_loop(inflow: np.ndarray, outflow: np.ndarray) -> np.ndarray:
    """The recursion itself, slot by slot: the definition the closed form must equal (tests)."""
    out, occ = [], 0
    for i, o in zip(inflow, outflow, strict=True):
        occ = max(0, occ + int(i) - int(o))
        out.append(occ)
    return np.array(out, dtype=np.int64)


def profile_level_forecast(frame: pd.DataFrame, origin: pd.Timestamp, *, window: int = 28, recent: int = 8,
                           horizon: int = 16, min_profile: float = 8.0) -> pd.DataFrame:
    """Forecast one area's next ``horizon`` slots after ``origin`` (the last slot observed).

    ``frame`` holds one area's rows with columns ts, inflow, occupancy (one row per 15-minute
    slot). Each slot's profile is the mean of that slot over the previous ``window`` days of the
    same class as its own day (工作日 or 休息日, from the official calendar), so a forecast may run
    past midnight. Returns target_ts, forecast_inflow, forecast_occupancy, level.
    """
    from lingshu.analysis.holidays import day_type

    f = frame.set_index("ts")

    def profile(ts: pd.Timestamp) -> pd.Series | None:
        workday = day_type(ts.date()) == "工作日"
        past = [ts - pd.Timedelta(days=k) for k in range(1, 400)]
        same = [p for p in past if p in f.index and (day_type(p.date()) == "工作日") == workday][:window]
        return f.loc[same, ["inflow", "occupancy"]].mean() if same else None

    recent_ts = [origin - pd.Timedelta(minutes=15 * k) for k in range(recent)]
    pairs = [(f.loc[t, "inflow"], profile(t)) for t in recent_ts if t in f.index]
    seen = sum(a for a, p in pairs if p is not None)
    expected = sum(p["inflow"] for _, p in pairs if p is not None)
    level = 1.0 if expected < min_profile else float(np.clip(seen / expected, 0.25, 4.0))
    rows = []
    for k in range(1, horizon + 1):
        t = origin + pd.Timedelta(minutes=15 * k)
        p = profile(t)
        if p is not None:
            rows.append((t, p["inflow"] * level, p["occupancy"] * level))
    out = pd.DataFrame(rows, columns=["target_ts", "forecast_inflow", "forecast_occupancy"])
    out["level"] = level
    return out
