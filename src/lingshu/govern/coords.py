"""Coordinates: WGS-84, GCJ-02, BD-09 (and CGCS2000 = WGS-84 at metre level), vectorized with numpy.

Constants are STANDARDS.md section 9 exactly: a = 6378245.0, ee = 0.00669342162296594323,
x_pi = pi * 3000 / 180 (the often-copied ``pi`` variant is 10-40 m wrong). GCJ-02 -> WGS-84 is
the iterative inverse (w <- w - (wgs2gcj(w) - g)), below a millimetre; the one-step inverse,
0.5-2 m off, is exposed only as ``gcj02_to_wgs84_onestep`` for comparison.

Every conversion goes through GCJ-02: each CRS registers how to get to GCJ-02 and back, so a new
CRS is one registry entry, not a new branch. Outside China's bounding box GCJ-02 equals WGS-84,
as in the common implementations (the shift is a domestic rule).

``detect_crs`` finds a mislabelled CRS: given points and trusted reference positions of the same
things (geocoded addresses, surveyed points), it tries each CRS as the true one and keeps the
one that lands closest. In Lingang WGS->GCJ moves a point about 470 m and GCJ->BD about 930 m,
so the right answer stands far apart from the wrong ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from lingshu.core.registry import Registry
from lingshu.govern.errors import GovernError
from lingshu.govern.sqldefs import as_array, udf

A = 6378245.0
EE = 0.00669342162296594323
X_PI = np.pi * 3000.0 / 180.0
CHINA_BBOX = (72.004, 137.8347, 0.8293, 55.8271)  # lng min, lng max, lat min, lat max
LINGANG_BBOX = (121.55, 122.10, 30.60, 31.10)  # generous box around 临港新片区 (not a boundary)

Pair = tuple[np.ndarray, np.ndarray]


def _f64(x: object) -> np.ndarray:
    if isinstance(x, pa.Array | pa.ChunkedArray):
        return np.asarray(as_array(x).to_numpy(zero_copy_only=False), dtype=np.float64)
    return np.asarray(x, dtype=np.float64)


def _in_china(lng: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, hi, la, lb = CHINA_BBOX
    return (lng >= lo) & (lng <= hi) & (lat >= la) & (lat <= lb)


def _delta(lng: np.ndarray, lat: np.ndarray) -> Pair:
    """The GCJ-02 offset (degrees) at a WGS-84 position."""
    x, y = lng - 105.0, lat - 35.0
    common = (20 * np.sin(6 * x * np.pi) + 20 * np.sin(2 * x * np.pi)) * 2 / 3
    dlat = (-100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + common
            + (20 * np.sin(y * np.pi) + 40 * np.sin(y / 3 * np.pi)) * 2 / 3
            + (160 * np.sin(y / 12 * np.pi) + 320 * np.sin(y * np.pi / 30)) * 2 / 3)
    dlng = (300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + common
            + (20 * np.sin(x * np.pi) + 40 * np.sin(x / 3 * np.pi)) * 2 / 3
            + (150 * np.sin(x / 12 * np.pi) + 300 * np.sin(x / 30 * np.pi)) * 2 / 3)
    rad = lat / 180 * np.pi
    magic = 1 - EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180 / ((A * (1 - EE)) / (magic * sqrt_magic) * np.pi)
    dlng = dlng * 180 / (A / sqrt_magic * np.cos(rad) * np.pi)
    inside = _in_china(lng, lat)
    return np.where(inside, dlng, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(lng: object, lat: object) -> Pair:
    lng, lat = _f64(lng), _f64(lat)
    dlng, dlat = _delta(lng, lat)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84_onestep(lng: object, lat: object) -> Pair:
    g_lng, g_lat = _f64(lng), _f64(lat)
    f_lng, f_lat = wgs84_to_gcj02(g_lng, g_lat)
    return 2 * g_lng - f_lng, 2 * g_lat - f_lat


def gcj02_to_wgs84(lng: object, lat: object, tol: float = 1e-12, max_iter: int = 30) -> Pair:
    """Iterative inverse; converges in a handful of steps (whole arrays at once)."""
    g_lng, g_lat = _f64(lng), _f64(lat)
    w_lng, w_lat = gcj02_to_wgs84_onestep(g_lng, g_lat)
    for _ in range(max_iter):
        f_lng, f_lat = wgs84_to_gcj02(w_lng, w_lat)
        e_lng, e_lat = f_lng - g_lng, f_lat - g_lat
        w_lng, w_lat = w_lng - e_lng, w_lat - e_lat
        if not np.any(np.abs(np.nan_to_num(e_lng)) > tol) and not np.any(np.abs(np.nan_to_num(e_lat)) > tol):
            break
    return w_lng, w_lat


def gcj02_to_bd09(lng: object, lat: object) -> Pair:
    x, y = _f64(lng), _f64(lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lng: object, lat: object) -> Pair:
    x, y = _f64(lng) - 0.0065, _f64(lat) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _identity(lng: object, lat: object) -> Pair:
    return _f64(lng), _f64(lat)


@dataclass(frozen=True)
class Crs:
    name: str
    to_gcj02: Callable[[object, object], Pair]
    from_gcj02: Callable[[object, object], Pair]
    same_as: str | None = None  # CGCS2000 is WGS-84 at metre level


CRS: Registry[Crs] = Registry("coordinate reference system")
CRS.add("wgs84", Crs("wgs84", wgs84_to_gcj02, gcj02_to_wgs84))
CRS.add("gcj02", Crs("gcj02", _identity, _identity))
CRS.add("bd09", Crs("bd09", bd09_to_gcj02, gcj02_to_bd09))
CRS.add("cgcs2000", Crs("cgcs2000", wgs84_to_gcj02, gcj02_to_wgs84, same_as="wgs84"))


def canonical(name: str) -> str:
    crs = CRS.get(name.lower().replace("-", "").replace("_", ""))
    return crs.same_as or crs.name


def convert(lng: object, lat: object, src: str, dst: str) -> Pair:
    """Convert arrays (or scalars) of coordinates from ``src`` to ``dst`` CRS."""
    s, d = canonical(src), canonical(dst)
    if s == d:
        return _identity(lng, lat)
    return CRS.get(d).from_gcj02(*CRS.get(s).to_gcj02(lng, lat))


def convert_point(lng: float, lat: float, src: str, dst: str) -> tuple[float, float]:
    x, y = convert(np.array([lng]), np.array([lat]), src, dst)
    return float(x[0]), float(y[0])


def haversine_m(lng1: object, lat1: object, lng2: object, lat2: object) -> np.ndarray:
    r = 6371008.8
    p1, p2 = np.radians(_f64(lat1)), np.radians(_f64(lat2))
    dphi, dl = p2 - p1, np.radians(_f64(lng2) - _f64(lng1))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(h))


def in_lingang_bbox(lng: object, lat: object) -> np.ndarray:
    lo, hi, la, lb = LINGANG_BBOX
    x, y = _f64(lng), _f64(lat)
    return (x >= lo) & (x <= hi) & (y >= la) & (y <= lb)


@dataclass
class CrsDetection:
    declared: str | None
    detected: str
    median_error_m: dict[str, float]  # per candidate true CRS
    confident: bool  # the best candidate is clearly better than the runner-up
    mislabelled: bool  # declared is known and differs from detected (confidently)
    points: int
    in_lingang_share: float


def detect_crs(lng: object, lat: object, ref_lng: object, ref_lat: object, *, ref_crs: str = "wgs84",
               declared: str | None = None, candidates: tuple[str, ...] = ("wgs84", "gcj02", "bd09"),
               ) -> CrsDetection:
    """Which CRS the points are really in, judged against reference positions of the same things."""
    x, y, rx, ry = _f64(lng), _f64(lat), _f64(ref_lng), _f64(ref_lat)
    if x.shape != rx.shape or x.size == 0:
        raise GovernError("detect_crs needs the same (non-zero) number of points and reference points",
                          hint="pair each point with the reference position of the same object")
    errors = {c: float(np.nanmedian(haversine_m(*convert(x, y, c, ref_crs), rx, ry))) for c in candidates}
    ranked = sorted(errors, key=errors.__getitem__)
    best, second = ranked[0], ranked[1] if len(ranked) > 1 else ranked[0]
    # The CRS shifts are hundreds of metres here; require the winner to be clearly closer.
    confident = errors[best] * 3 < errors[second] or errors[best] < 30 < errors[second]
    mislabelled = declared is not None and confident and canonical(declared) != best
    return CrsDetection(declared, best, errors, confident, mislabelled, int(x.size),
                        float(np.mean(in_lingang_bbox(x, y))))


# -- SQL: one vectorized UDF per (from, to, component) ---------------------------------------------
def _declare_pair(src: str, dst: str) -> None:
    for i, comp in enumerate(("lng", "lat")):
        def fn(lng: pa.Array, lat: pa.Array, _i: int = i) -> pa.Array:
            out = convert(lng, lat, src, dst)[_i]
            valid = np.asarray(lng.is_valid().to_numpy(zero_copy_only=False)) & np.asarray(
                lat.is_valid().to_numpy(zero_copy_only=False))
            return pa.array(out, type=pa.float64(), mask=~valid)

        udf(f"{src}_to_{dst}_{comp}", ["DOUBLE", "DOUBLE"], "DOUBLE",
            f"{comp} of ({src} lng, lat) converted to {dst}.")(fn)


for _s in ("wgs84", "gcj02", "bd09"):
    for _d in ("wgs84", "gcj02", "bd09"):
        if _s != _d:
            _declare_pair(_s, _d)
