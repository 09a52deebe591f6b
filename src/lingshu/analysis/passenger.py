"""Key-area passenger flow: occupancy with drift correction and a short-term forecast.

The passenger_flow pack computes both in SQL (``dws/pf_area_15min.sql``, ``ads/pf_forecast.sql``);
these are the Python references the tests compare it with, written with numpy/pandas only.

Occupancy. Counted entries and exits drift apart (a camera over-counts exits, a gate misses
entries). Each area empties overnight, so the balance restarts at zero every day, and a negative
running balance is read as entries that were missed: occupancy_t = max(0, occupancy_{t-1} + in_t -
out_t) (a Lindley recursion). Its closed form, raw_t - min(0, min_{s<=t} raw_s), is what the SQL
uses. Whatever is left at the end of the day is reported, not redistributed.

Forecast (seasonal profile x recent level). For the day being forecast, the profile of each
15-minute slot is the mean of that slot over the previous ``window`` days of the same class
(工作日 or 休息日); the level is the last ``recent`` slots' inflow divided by their profile (1 when
the profile is nearly empty, clamped to [0.25, 4]); the forecast of each of the next ``horizon``
slots of the same day is profile x level.
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

    ``frame`` holds one area's rows with columns ts, day_class, inflow, occupancy (one row per
    15-minute slot). Returns target_ts, forecast_inflow, forecast_occupancy, level.
    """
    f = frame.assign(day=frame["ts"].dt.normalize(), slot=frame["ts"].dt.hour * 4 + frame["ts"].dt.minute // 15)
    day = origin.normalize()
    cls = f.loc[f["day"] == day, "day_class"].iloc[0]
    history = f[(f["day"] < day) & (f["day_class"] == cls)]
    days = sorted(history["day"].unique())[-window:]
    profile = history[history["day"].isin(days)].groupby("slot")[["inflow", "occupancy"]].mean()
    origin_slot = origin.hour * 4 + origin.minute // 15
    today = f[f["day"] == day].set_index("slot")
    recent_slots = [s for s in range(origin_slot - recent + 1, origin_slot + 1) if s in today.index and s in profile.index]
    seen = today.loc[recent_slots, "inflow"].sum()
    expected = profile.loc[recent_slots, "inflow"].sum()
    level = 1.0 if expected < min_profile else float(np.clip(seen / expected, 0.25, 4.0))
    targets = [s for s in range(origin_slot + 1, min(origin_slot + horizon, SLOTS_PER_DAY - 1) + 1) if s in profile.index]
    return pd.DataFrame({
        "target_ts": [day + pd.Timedelta(minutes=15 * s) for s in targets],
        "forecast_inflow": profile.loc[targets, "inflow"].to_numpy() * level,
        "forecast_occupancy": profile.loc[targets, "occupancy"].to_numpy() * level,
        "level": level,
    })
