"""Coordinates (section 9): exact vectors, iterative inverse, vectorized UDFs, mislabel detection."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from lingshu.govern.coords import (
    convert,
    convert_point,
    detect_crs,
    gcj02_to_wgs84_onestep,
    haversine_m,
)


@pytest.mark.parametrize("src, dst, expected", [
    ("wgs84", "gcj02", (116.41024449916938, 39.91640428150164)),
    ("gcj02", "bd09", (116.41036949371029, 39.92133699351021)),
    ("bd09", "gcj02", (116.39762729119315, 39.90865673957631)),
])
def test_standard_vectors(src: str, dst: str, expected: tuple[float, float]) -> None:
    assert convert_point(116.404, 39.915, src, dst) == pytest.approx(expected, abs=1e-12)


def test_one_step_inverse_vector() -> None:
    x, y = gcj02_to_wgs84_onestep([116.404], [39.915])
    assert (x[0], y[0]) == pytest.approx((116.39775550083061, 39.91359571849836), abs=1e-12)


def test_iterative_inverse_round_trips_below_a_millimetre() -> None:
    rng = np.random.default_rng(1)
    lng, lat = rng.uniform(121.5, 122.1, 500), rng.uniform(30.6, 31.2, 500)
    back = convert(*convert(lng, lat, "gcj02", "wgs84"), "wgs84", "gcj02")
    assert haversine_m(lng, lat, *back).max() < 1e-3


def test_cgcs2000_is_wgs84() -> None:
    assert convert_point(121.9, 30.9, "cgcs2000", "gcj02") == convert_point(121.9, 30.9, "wgs84", "gcj02")


def test_lingang_shift_sizes() -> None:
    gcj = convert_point(121.93, 30.90, "wgs84", "gcj02")
    assert 400 < haversine_m(121.93, 30.90, *gcj)[()] < 550
    bd = convert_point(*gcj, "gcj02", "bd09")
    assert 850 < haversine_m(*gcj, *bd)[()] < 1000


def test_sql_udfs_are_vectorized_and_match(gov_engine) -> None:  # noqa: ANN001
    gov_engine.con.register("pts", pa.table({"lng": [116.404, None, 121.93], "lat": [39.915, 30.0, 30.9]}))
    try:
        rows = gov_engine.query("SELECT wgs84_to_gcj02_lng(lng, lat) AS x, wgs84_to_gcj02_lat(lng, lat) AS y,"
                                " gcj02_to_wgs84_lng(lng, lat) AS wx FROM pts").to_pylist()
    finally:
        gov_engine.con.unregister("pts")
    assert rows[0]["x"] == pytest.approx(116.41024449916938, abs=1e-12)
    assert rows[1]["x"] is None
    assert rows[2]["wx"] == pytest.approx(convert_point(121.93, 30.9, "gcj02", "wgs84")[0], abs=1e-12)


@pytest.mark.parametrize("true_crs", ["wgs84", "gcj02", "bd09"])
def test_detect_mislabelled_crs(true_crs: str) -> None:
    rng = np.random.default_rng(7)
    ref_lng, ref_lat = rng.uniform(121.8, 122.0, 50), rng.uniform(30.85, 30.95, 50)  # WGS-84 truth
    lng, lat = convert(ref_lng, ref_lat, "wgs84", true_crs)
    lng = lng + rng.normal(0, 0.0001, 50)  # ~10 m of noise
    det = detect_crs(lng, lat, ref_lng, ref_lat, declared="wgs84")
    assert det.detected == true_crs and det.confident
    assert det.mislabelled == (true_crs != "wgs84")
    assert det.in_lingang_share == 1.0
