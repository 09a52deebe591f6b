"""DuckDB spatial's ST_* functions on Spark: GEOMETRY as WKB, evaluated by DuckDB spatial itself.

Type mapping (explicit, both directions):

    DuckDB GEOMETRY  <->  Spark BINARY holding the geometry's WKB (DuckDB's ``ST_AsWKB``)

WKB, not WKT text: it is lossless (WKT prints rounded decimals, so a round trip could move a
coordinate), smaller, and DuckDB reads it back without parsing text. A GEOMETRY column that a model
stores therefore lands in Spark's Parquet as BLOB; write ``ST_AsText(geom)`` in the model when an
output must read the same on both engines.

How each function is computed (the soundest way we found to give DuckDB's numbers exactly):

- ``ST_Distance_Sphere`` between two ``ST_Point`` constructors (optionally flipped) is rewritten
  to Spark SQL arithmetic: DuckDB spatial's own haversine (radius 6 371 000 m, ``atan2`` form,
  degrees * pi / 180 first; see ``haversine_sql``). It stays a JVM expression, so a distance in a
  join condition (the congestion pack's events near segments) is not a Python call per pair.
- Every other listed function is an Arrow UDF that runs the *same* DuckDB spatial function on a
  private in-memory DuckDB inside each Python worker (the wheel's extension, loaded by path; no
  download), WKB in and out. GeographicLib's ellipsoidal length (``ST_Length_Spheroid``), WKT
  parsing and the closest point are the extension's own code on both engines, so results are
  equal by construction, not approximately. This is the governance functions' pattern
  (``govern.vector.apply_sql``), and it needs no Sedona jars (a Maven download) and no second
  geometry library whose rounding would differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from lingshu.engines.private import PrivateDuckDB

UDF_PREFIX = "lingshu_"


@dataclass(frozen=True)
class SpatialFunction:
    duckdb: str  # the DuckDB spelling, lower case (what models write)
    params: tuple[str, ...]  # DuckDB types of the arguments as Spark passes them (GEOMETRY -> BLOB)
    returns: str
    body: str  # DuckDB SQL over a0, a1... (WKB BLOBs for geometries)

    @property
    def udf(self) -> str:
        return UDF_PREFIX + self.duckdb


def _geom(i: int) -> str:
    return f"ST_GeomFromWKB(a{i})"


# The ST_* functions the Spark engine provides. Add one here (and a golden fixture) to widen it.
FUNCTIONS: dict[str, SpatialFunction] = {f.duckdb: f for f in (
    SpatialFunction("st_point", ("DOUBLE", "DOUBLE"), "BLOB", "ST_AsWKB(ST_Point(a0, a1))"),
    SpatialFunction("st_geomfromtext", ("VARCHAR",), "BLOB", "ST_AsWKB(ST_GeomFromText(a0))"),
    SpatialFunction("st_geomfromwkb", ("BLOB",), "BLOB", f"ST_AsWKB({_geom(0)})"),
    SpatialFunction("st_astext", ("BLOB",), "VARCHAR", f"ST_AsText({_geom(0)})"),
    SpatialFunction("st_aswkb", ("BLOB",), "BLOB", f"ST_AsWKB({_geom(0)})"),
    SpatialFunction("st_x", ("BLOB",), "DOUBLE", f"ST_X({_geom(0)})"),
    SpatialFunction("st_y", ("BLOB",), "DOUBLE", f"ST_Y({_geom(0)})"),
    SpatialFunction("st_flipcoordinates", ("BLOB",), "BLOB", f"ST_AsWKB(ST_FlipCoordinates({_geom(0)}))"),
    SpatialFunction("st_closestpoint", ("BLOB", "BLOB"), "BLOB", f"ST_AsWKB(ST_ClosestPoint({_geom(0)}, {_geom(1)}))"),
    SpatialFunction("st_length_spheroid", ("BLOB",), "DOUBLE", f"ST_Length_Spheroid({_geom(0)})"),
    SpatialFunction("st_distance_sphere", ("BLOB", "BLOB"), "DOUBLE", f"ST_Distance_Sphere({_geom(0)}, {_geom(1)})"),
)}

# DuckDB spatial's ST_Distance_Sphere (POINT_2D x POINT_2D), as written in the extension:
#   lat = x * PI / 180 (x is the latitude: DuckDB expects [lat, lon] order here), R = 6371000,
#   a = sin(dlat/2)^2 + cos(lat1) cos(lat2) sin(dlon/2)^2, d = R * 2 * atan2(sqrt(a), sqrt(1 - a)).
# Checked against DuckDB 1.5.5 spatial on random points (tests/engines/spark/test_spatial.py).
EARTH_RADIUS_M = 6371000.0


def haversine_sql() -> str:
    """Spark SQL template over ``__x1, __y1, __x2, __y2`` (degrees; x is the latitude)."""
    rad = "(__{} * PI() / 180D)"
    a = (f"POW(SIN(({rad.format('x2')} - {rad.format('x1')}) / 2D), 2D) + COS({rad.format('x1')}) * "
         f"COS({rad.format('x2')}) * POW(SIN(({rad.format('y2')} - {rad.format('y1')}) / 2D), 2D)")
    return f"{EARTH_RADIUS_M}D * 2D * ATAN2(SQRT({a}), SQRT(1D - ({a})))"


# -- evaluation inside a Python worker ---------------------------------------------------------
# Only spatial; DuckDB spatial itself evaluates every function, so results are DuckDB's.
_PRIVATE = PrivateDuckDB(extensions=("spatial",))


def evaluate(name: str, *arrays: pa.Array) -> pa.Array:
    """DuckDB spatial's ``name`` row-wise over equal-length Arrow arrays (WKB for geometries)."""
    return _PRIVATE.project(FUNCTIONS[name].body, *arrays)


def register(engine: Any) -> None:
    """Register every function on a Spark engine as an Arrow UDF named ``lingshu_st_...``."""
    for fn in FUNCTIONS.values():
        engine.register_function(fn.udf, _bound(fn.duckdb), list(fn.params), fn.returns)


def _bound(name: str) -> Any:
    def call(*arrays: pa.Array) -> pa.Array:
        return evaluate(name, *arrays)

    return call
