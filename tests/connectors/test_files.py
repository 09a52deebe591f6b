"""JSON, JSON Lines, Parquet, GeoJSON and Shapefile sources against real files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_support import data_rows, pack_context, read, source, update_of
from lingshu.connectors import ConnectorError
from lingshu.engines.duckdb import extension_path


def test_json_document_with_record_path(tmp_path: Path) -> None:
    doc = {"code": 0, "data": {"total": 2, "list": [
        {"id": 1, "name": "滴水湖", "tags": ["湖", "景区"], "ok": True, "area": 5.56},
        {"id": 2, "name": "港城", "extra": {"k": "v"}},
    ]}}
    (tmp_path / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    rows = data_rows(read(source("json", path="a.json", options={"record_path": "data.list"}), tmp_path))
    assert rows == [
        {"id": "1", "name": "滴水湖", "tags": '["湖", "景区"]', "ok": "true", "area": "5.56", "extra": None},
        {"id": "2", "name": "港城", "tags": None, "ok": None, "area": None, "extra": '{"k": "v"}'},
    ]
    with pytest.raises(ConnectorError, match="record_path 'data.items' not found: at data there is total, list"):
        read(source("json", path="a.json", options={"record_path": "data.items"}), tmp_path)


def test_jsonl_bad_lines_are_quarantined(tmp_path: Path) -> None:
    lines = '{"id": 1}\n\n{"id": 2\n[1, 2]\n{"id": "x"}\n'
    src = source("jsonl", path="data/e.jsonl", columns=[{"name": "id", "type": "BIGINT"}])
    with pack_context(tmp_path, [src], {"data/e.jsonl": lines}) as ctx:
        report = ctx.run("t")
        log = update_of(ctx, report.run_id)
        assert (log["rows_read"], log["rows_after"], log["rows_quarantined"]) == (4, 1, 3)
        bad = ctx.query("SELECT _row_number, _reason, _raw FROM quarantine.src ORDER BY 1").to_pylist()
        assert "line 3 is not valid JSON" in bad[0]["_reason"] and bad[0]["_raw"] == '{"id": 2'
        assert "not an object" in bad[1]["_reason"] and bad[1]["_raw"] == "[1, 2]"
        assert "not a valid BIGINT" in bad[2]["_reason"]


def test_malformed_json_document_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('[{"id": 1},\n {"id": 2,}]', encoding="utf-8")
    with pytest.raises(ConnectorError) as err:
        read(source("json", path="b.json"), tmp_path)
    assert "line 2 column" in err.value.message and err.value.hint


def test_parquet_folder_with_types(tmp_path: Path) -> None:
    folder = tmp_path / "pq"
    folder.mkdir()
    pq.write_table(pa.table({"id": [1, 2], "ts": pa.array([0, 86_400_000_000], pa.timestamp("us")),
                             "v": [1.5, None]}), folder / "a.parquet")
    pq.write_table(pa.table({"id": [3], "flag": [True]}), folder / "b.parquet")
    rows = data_rows(read(source("parquet", path="pq"), tmp_path))
    assert rows == [
        {"id": "1", "ts": "1970-01-01 00:00:00", "v": "1.5", "flag": None},
        {"id": "2", "ts": "1970-01-02 00:00:00", "v": None, "flag": None},
        {"id": "3", "ts": None, "v": None, "flag": "true"},
    ]
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(ConnectorError, match="not a readable Parquet file"):
        read(source("parquet", path="bad.parquet"), tmp_path)


GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "滴水湖", "level": 1},
     "geometry": {"type": "Point", "coordinates": [121.93, 30.90]}},
    {"type": "Feature", "properties": {"name": "港城广场", "level": 2},
     "geometry": {"type": "Point", "coordinates": [121.91, 30.89]}},
]}


def test_geojson_with_declared_crs_and_reprojection(tmp_path: Path) -> None:
    (tmp_path / "poi.geojson").write_text(json.dumps(GEOJSON, ensure_ascii=False), encoding="utf-8")
    rows = data_rows(read(source("geojson", path="poi.geojson", options={"crs": "EPSG:4490"}), tmp_path))
    assert rows[0] == {"name": "滴水湖", "level": "1", "geometry": "POINT (121.93 30.9)"}
    projected = data_rows(read(source("geojson", path="poi.geojson",
                                      options={"crs": "EPSG:4326", "target_crs": "EPSG:3857"}), tmp_path))
    x = float(projected[0]["geometry"].split("(")[1].split()[0])
    assert 13_500_000 < x < 13_600_000  # metres east in Web Mercator
    with pytest.raises(ConnectorError, match="crs: Field required"):
        read(source("geojson", path="poi.geojson"), tmp_path)


def test_shapefile_with_gbk_attributes_ingests_as_geometry(tmp_path: Path) -> None:
    (tmp_path / "poi.geojson").write_text(json.dumps(GEOJSON, ensure_ascii=False), encoding="utf-8")
    shp_dir = tmp_path / "data" / "shp"
    shp_dir.mkdir(parents=True)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{extension_path('spatial').as_posix()}'")
    con.execute(f"COPY (SELECT * FROM ST_Read('{(tmp_path / 'poi.geojson').as_posix()}')) TO "
                f"'{(shp_dir / 'poi.shp').as_posix()}' WITH (FORMAT GDAL, DRIVER 'ESRI Shapefile', "
                "LAYER_CREATION_OPTIONS 'ENCODING=UTF-8')")
    con.close()
    src = source("shapefile", path="data/shp", options={"crs": "EPSG:4490"},
                 columns=[{"name": "name", "required": True}, {"name": "geometry", "type": "GEOMETRY"}])
    with pack_context(tmp_path / "w", [src], {}) as ctx:
        target = ctx.catalog.get("t").root / "data"
        target.mkdir(parents=True, exist_ok=True)
        for f in shp_dir.iterdir():
            (target / "shp").mkdir(exist_ok=True)
            (target / "shp" / f.name).write_bytes(f.read_bytes())
        report = ctx.run("t")
        assert report.status == "success", report.steps[0].error
        assert update_of(ctx, report.run_id)["rows_after"] == 2
        assert ctx.query("SELECT ST_X(geometry) AS x FROM ods.src WHERE name = '滴水湖'").column(0)[0].as_py() == 121.93


def test_broken_geodata_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.geojson").write_text("{not geojson", encoding="utf-8")
    with pytest.raises(ConnectorError) as err:
        read(source("geojson", path="bad.geojson", options={"crs": "EPSG:4326"}), tmp_path)
    assert "cannot read bad.geojson as geodata" in err.value.message
