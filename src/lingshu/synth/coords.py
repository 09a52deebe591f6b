"""Forward coordinate shifts WGS-84 -> GCJ-02 -> BD-09, to make mislabelled-CRS defects.

lingshu.govern has no coordinate module yet (another engineer is writing it); synth needs only the
forward direction, implemented here from the widely reproduced formulas (STANDARDS.md section 9:
a = 6378245.0, ee = 0.00669342162296594323, x_pi = pi * 3000 / 180). When
``lingshu.govern.coords`` lands, the tests cross-check against it.
"""

from __future__ import annotations

import numpy as np

A = 6378245.0
EE = 0.00669342162296594323
X_PI = np.pi * 3000.0 / 180.0


def _d_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    r += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return r


def _d_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    r += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return r


def wgs_to_gcj(lon, lat):
    """WGS-84 -> GCJ-02 (points inside China; Lingang always is)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlat = _d_lat(lon - 105.0, lat - 35.0)
    dlon = _d_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * np.pi
    magic = 1 - EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (A / sqrt_magic * np.cos(rad) * np.pi)
    return lon + dlon, lat + dlat


def gcj_to_bd(lon, lat):
    """GCJ-02 -> BD-09."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def wgs_to_bd(lon, lat):
    return gcj_to_bd(*wgs_to_gcj(lon, lat))


# Registry of forward shifts by target CRS name, used by the defect injector.
SHIFTS = {"GCJ02": wgs_to_gcj, "BD09": wgs_to_bd}
