"""Forward coordinate shifts WGS-84 -> GCJ-02 -> BD-09, to make mislabelled-CRS defects.

The formulas live in ``lingshu.govern.coords`` (the same ones the governance step uses to detect
and undo the shift); synth only needs the forward direction.
"""

from __future__ import annotations

from lingshu.govern.coords import gcj02_to_bd09, wgs84_to_gcj02


def wgs_to_gcj(lon, lat):
    return wgs84_to_gcj02(lon, lat)


def gcj_to_bd(lon, lat):
    return gcj02_to_bd09(lon, lat)


def wgs_to_bd(lon, lat):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


# Registry of forward shifts by the CRS the coordinates are really in, used by the defect injector.
SHIFTS = {"GCJ02": wgs_to_gcj, "BD09": wgs_to_bd}
