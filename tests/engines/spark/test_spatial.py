"""DuckDB spatial's ST_* functions on Spark give DuckDB's numbers (sample geometries, both engines).

GEOMETRY is WKB on Spark; the UDFs run DuckDB spatial itself, so they must agree exactly. The
point-to-point ST_Distance_Sphere is Spark arithmetic (haversine with DuckDB's radius and
formula): equal up to the last bits of the JVM's and libm's sin/cos.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pyarrow as pa
import pytest

from lingshu.core.errors import EngineError
from lingshu.engines import open_engine
from lingshu.engines.duckdb import DuckDBEngine
from lingshu.engines.spark import spatial
from lingshu.engines.spark.transpile import to_spark

LINES = [
    "LINESTRING (121.90 30.90, 121.91 30.905, 121.93 30.91)",
    "LINESTRING (121.80 30.85, 121.80 30.95)",
    "LINESTRING (121.95 30.88, 121.951 30.8801)",
    "MULTILINESTRING ((121.90 30.90, 121.91 30.91), (121.92 30.92, 121.93 30.95))",
    None,
]
POINTS = [(121.905, 30.902), (121.70, 30.90), (121.9505, 30.8805), (121.925, 30.93), (121.9, 30.9)]

# Every spatial function the packs use, in the shapes they use them (road_archive, congestion_index).
QUERIES = {
    "length_spheroid": "ST_Length_Spheroid(ST_FlipCoordinates(ST_GeomFromText(wkt)))",
    "distance_to_closest_point": "ST_Distance_Sphere(ST_FlipCoordinates(ST_Point(lon, lat)), "
                                 "ST_FlipCoordinates(ST_ClosestPoint(ST_GeomFromText(wkt), ST_Point(lon, lat))))",
    "closest_point_text": "ST_AsText(ST_ClosestPoint(ST_GeomFromText(wkt), ST_Point(lon, lat)))",
    "flip_x": "ST_X(ST_FlipCoordinates(ST_Point(lon, lat)))",
    "wkb": "ST_AsWKB(ST_GeomFromText(wkt))",
}


def _sample() -> pa.Table:
    return pa.table({
        "i": list(range(len(LINES))),
        "wkt": pa.array(LINES, pa.string()),
        "lon": pa.array([p[0] for p in POINTS], pa.float64()),
        "lat": pa.array([p[1] for p in POINTS], pa.float64()),
    })


@pytest.fixture(scope="module")
def duck() -> Iterator[DuckDBEngine]:
    engine = DuckDBEngine(":memory:", extensions=("spatial",))
    engine.con.register("geo", _sample())
    yield engine
    engine.close()


def _duckdb_values(duck: DuckDBEngine, expr: str) -> list:
    return duck.query(f"SELECT i, {expr} AS r FROM geo ORDER BY i").column("r").to_pylist()


# -- no Spark needed ---------------------------------------------------------------------------
def test_worker_evaluation_is_duckdb_spatial(duck: DuckDBEngine) -> None:
    wkb = spatial.evaluate("st_geomfromtext", pa.array(LINES, pa.string()))
    assert spatial.evaluate("st_astext", wkb).to_pylist() == _duckdb_values(duck, "ST_AsText(ST_GeomFromText(wkt))")
    assert spatial.evaluate("st_length_spheroid", spatial.evaluate("st_flipcoordinates", wkb)).to_pylist() == \
        _duckdb_values(duck, QUERIES["length_spheroid"])


def test_haversine_template_is_duckdbs_formula(duck: DuckDBEngine) -> None:
    """The Spark template, read back as DuckDB SQL, equals ST_Distance_Sphere on random points."""
    import sqlglot

    rng = random.Random(3)
    pts = [(rng.uniform(-89, 89), rng.uniform(-180, 180), rng.uniform(-89, 89), rng.uniform(-180, 180))
           for _ in range(500)] + [(30.9, 121.9, 30.9, 121.9), (0.0, 0.0, 0.0, 180.0)]
    duck.con.register("pts", pa.table({k: [p[i] for p in pts] for i, k in enumerate(("x1", "y1", "x2", "y2"))}))
    arithmetic = sqlglot.parse_one(spatial.haversine_sql().replace("__", ""), read="spark").sql("duckdb")
    got = duck.query(f"SELECT {arithmetic} AS a, ST_Distance_Sphere(ST_Point(x1, y1), ST_Point(x2, y2)) AS d "
                     "FROM pts").to_pylist()
    for row in got:
        assert math.isclose(row["a"], row["d"], rel_tol=1e-12, abs_tol=1e-6)


def test_unprovided_spatial_functions_are_rejected_by_name() -> None:
    with pytest.raises(EngineError, match=r"(?i)st_buffer.*spark"):
        to_spark("SELECT ST_Buffer(ST_GeomFromText(wkt), 10) FROM t")


# -- on Spark ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    engine = open_engine("spark", tmp_path_factory.mktemp("wh") / "warehouse-spark")
    engine.load_temp("geo", _sample())
    yield engine
    engine.close()


@pytest.mark.spark
@pytest.mark.parametrize("name", list(QUERIES))
def test_spark_equals_duckdb_spatial(spark, duck: DuckDBEngine, name: str) -> None:
    expr = QUERIES[name]
    got = spark.query(f"SELECT i, {expr} AS r FROM geo ORDER BY i").column("r").to_pylist()
    assert got == _duckdb_values(duck, expr)  # DuckDB spatial computed it: exactly equal


@pytest.mark.spark
def test_spark_point_distance_is_arithmetic_and_agrees(spark, duck: DuckDBEngine) -> None:
    sql = ("SELECT a.i AS i, b.i AS j, ST_Distance_Sphere(ST_Point(a.lat, a.lon), ST_Point(b.lat, b.lon)) AS d "
           "FROM geo AS a, geo AS b ORDER BY i, j")
    assert "LINGSHU_ST" not in spark.spark_sql(__import__("sqlglot").parse_one(sql, read="duckdb")).upper()
    got, want = spark.query(sql).column("d").to_pylist(), duck.query(sql).column("d").to_pylist()
    assert len(got) == len(want) == len(POINTS) ** 2
    for g, w in zip(got, want, strict=True):
        assert math.isclose(g, w, rel_tol=1e-12, abs_tol=1e-6)


@pytest.mark.spark
def test_geometry_columns_are_wkb_on_spark(spark, duck: DuckDBEngine) -> None:
    spark.execute("CREATE TABLE dwd.geo_wkb AS SELECT i, ST_GeomFromText(wkt) AS geom FROM geo")
    assert {c.name: c.type for c in spark.columns("dwd", "geo_wkb")}["geom"] == "BLOB"
    got = spark.query("SELECT i, ST_AsText(geom) AS t FROM dwd.geo_wkb ORDER BY i").column("t").to_pylist()
    assert got == _duckdb_values(duck, "ST_AsText(ST_GeomFromText(wkt))")
