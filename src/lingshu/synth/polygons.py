"""Small planar polygon helpers in lon/lat degrees (the areas are a few km across).

Vectorized point-in-polygon (even-odd rule), convex clipping (Sutherland-Hodgman) and rejection
sampling inside a polygon; enough for a synthetic map, no GEOS needed.
"""

from __future__ import annotations

import math

import numpy as np

Ring = list[tuple[float, float]]  # closed implicitly: last vertex connects to the first


def points_in_polygon(lon: np.ndarray, lat: np.ndarray, ring: Ring) -> np.ndarray:
    """Boolean mask of the points strictly inside ``ring`` (even-odd ray casting)."""
    inside = np.zeros(lon.shape, dtype=bool)
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if y1 == y2:
            continue
        crosses = (y1 > lat) != (y2 > lat)
        x_at = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (lon < x_at)
    return inside


def clip_to_rect(ring: Ring, xmin: float, xmax: float, ymin: float, ymax: float) -> Ring:
    """Intersection of a convex ring with an axis-aligned rectangle."""

    def clip(pts: Ring, inside, cut) -> Ring:
        out: Ring = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
        return out

    def at_x(x):
        return lambda p, q: (x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0]))

    def at_y(y):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y)

    pts = list(ring)
    for inside, cut in (
        (lambda p: p[0] >= xmin, at_x(xmin)),
        (lambda p: p[0] <= xmax, at_x(xmax)),
        (lambda p: p[1] >= ymin, at_y(ymin)),
        (lambda p: p[1] <= ymax, at_y(ymax)),
    ):
        if not pts:
            break
        pts = clip(pts, inside, cut)
    return [(round(x, 6), round(y, 6)) for x, y in pts]


def sample_in_polygon(rng: np.random.Generator, ring: Ring, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uniform points inside ``ring`` by rejection from its bounding box."""
    xs, ys = zip(*ring, strict=True)
    lon_out, lat_out = np.empty(0), np.empty(0)
    while lon_out.size < n:
        m = max(64, 2 * (n - lon_out.size))
        lon = rng.uniform(min(xs), max(xs), m)
        lat = rng.uniform(min(ys), max(ys), m)
        keep = points_in_polygon(lon, lat, ring)
        lon_out = np.concatenate([lon_out, lon[keep]])
        lat_out = np.concatenate([lat_out, lat[keep]])
    return lon_out[:n], lat_out[:n]


def ring_wkt(ring: Ring) -> str:
    closed = [*ring, ring[0]]
    return "POLYGON((" + ", ".join(f"{x:.6f} {y:.6f}" for x, y in closed) + "))"


def line_wkt(lon: np.ndarray, lat: np.ndarray) -> str:
    return "LINESTRING(" + ", ".join(f"{x:.6f} {y:.6f}" for x, y in zip(lon, lat, strict=True)) + ")"


def ring_geojson(ring: Ring) -> list[list[list[float]]]:
    return [[[x, y] for x, y in [*ring, ring[0]]]]


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres (arrays or scalars)."""
    r = 6371008.8
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(a))


def metres_to_deg(lat: float) -> tuple[float, float]:
    """Degrees of (lon, lat) per metre at latitude ``lat``."""
    return 1 / (111320.0 * math.cos(math.radians(lat))), 1 / 110574.0
