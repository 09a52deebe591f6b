"""Vector geodata: GeoJSON, Shapefile, GeoPackage, read through DuckDB spatial's ``ST_Read`` (GDAL).

The source must declare its CRS (``crs: EPSG:4490`` for CGCS2000, ``EPSG:4326`` for WGS 84):
coordinates from a department are useless when guessed wrong, and .prj files are often missing
or say nothing useful. ``target_crs`` reprojects on read. The geometry arrives as WKT text in
``geometry`` (declare it ``type: GEOMETRY`` to have ingest type it), attributes as text.

We open our own DuckDB connection and load spatial by file path from the installed wheel, never
from the network (see ``lingshu.engines.duckdb``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, field_validator

from lingshu.connectors.base import (
    CONNECTORS,
    ConnectorError,
    ReadContext,
    SourceOptions,
    parse_options,
    resolve_files,
    text_schema,
    unique_names,
)
from lingshu.pack.spec import SourceSpec

CRS = re.compile(r"^(EPSG|ESRI|OGC):[0-9A-Z]+$", re.IGNORECASE)
SUFFIXES = (".geojson", ".json", ".shp", ".gpkg", ".fgb")


class GeoOptions(SourceOptions):
    crs: str = Field(description="CRS of the data as delivered, e.g. EPSG:4490 (CGCS2000) or EPSG:4326")
    target_crs: str | None = Field(None, description="reproject to this CRS on read")
    layer: str | None = Field(None, description="layer name inside the file (GeoPackage)")
    encoding: str | None = Field(None, description="attribute encoding of a Shapefile without .cpg, e.g. GBK")
    geometry_column: str = Field("geometry", description="name of the WKT geometry column")

    @field_validator("crs", "target_crs")
    @classmethod
    def _crs(cls, v: str | None) -> str | None:
        if v is not None and not CRS.match(v):
            raise ValueError(f"{v!r} is not a CRS code like EPSG:4490")
        return v.upper() if v else v


def _connect() -> duckdb.DuckDBPyConnection:
    from lingshu.engines.duckdb import extension_path

    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD '{extension_path('spatial').as_posix()}'")
    return con


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_sql(path: Path, opts: GeoOptions) -> str:
    args = [_lit(path.as_posix())]
    if opts.layer:
        args.append(f"layer = {_lit(opts.layer)}")
    if opts.encoding:
        args.append(f"open_options = [{_lit('ENCODING=' + opts.encoding)}]")
    return f"ST_Read({', '.join(args)})"


def _geometry(opts: GeoOptions, column: str) -> str:
    geom = _q(column)
    if opts.target_crs and opts.target_crs != opts.crs:
        # always_xy: GDAL would otherwise swap to lat/lon order for EPSG:4326 and 4490.
        geom = f"ST_Transform({geom}, {_lit(opts.crs)}, {_lit(opts.target_crs)}, always_xy := true)"
    return f"ST_AsText({geom})"


class GeoConnector:
    options = GeoOptions

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        opts = parse_options(GeoOptions, source)
        files = resolve_files(source, ctx, suffixes=SUFFIXES)
        con = _connect()
        plans = []
        originals: list[str] = []
        for path in files:
            read = _read_sql(path, opts)
            try:
                described = con.execute(f"DESCRIBE SELECT * FROM {read}").fetchall()
            except duckdb.Error as exc:
                raise ConnectorError(f"source {source.name!r}: cannot read {path.name} as geodata: "
                                     f"{str(exc).splitlines()[0]}",
                                     hint="check the file (a Shapefile needs its .shx and .dbf beside it)") from None
            geom = next((name for name, typ, *_ in described if typ.upper().startswith("GEOMETRY")), None)
            # OGC_FID is GDAL's synthetic feature number for GeoJSON, not something the provider sent.
            attrs = [name for name, *_ in described if name not in (geom, "OGC_FID")]
            select = [f"CAST({_q(a)} AS VARCHAR) AS {_q(a)}" for a in attrs]
            if geom:
                select.append(f"{_geometry(opts, geom)} AS {_q(opts.geometry_column)}")
            names = [*attrs, opts.geometry_column] if geom else attrs
            plans.append((path, f"SELECT {', '.join(select)} FROM {read}", names))
            originals.extend(n for n in names if n not in originals)
        columns = unique_names(originals)
        schema = text_schema(columns)

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                for path, sql, names in plans:
                    offset = 0
                    for batch in con.execute(sql).to_arrow_reader(batch_size=50_000):
                        n = batch.num_rows
                        arrays = [pc.cast(batch.column(name), pa.string()) if name in names else pa.nulls(n, pa.string())
                                  for name in originals]
                        arrays += [pa.array([path.as_posix()] * n, pa.string()),
                                   pa.array(range(offset + 1, offset + n + 1), pa.int64()),
                                   pa.nulls(n, pa.string()), pa.nulls(n, pa.string())]
                        offset += n
                        yield pa.RecordBatch.from_arrays(arrays, schema=schema)
            except duckdb.Error as exc:
                raise ConnectorError(f"source {source.name!r}: reading geodata failed: {str(exc).splitlines()[0]}",
                                     hint="check the file and the crs/target_crs options") from None
            finally:
                con.close()

        return pa.RecordBatchReader.from_batches(schema, batches())


CONNECTORS.add("geojson", GeoConnector())
CONNECTORS.add("shapefile", GeoConnector())
CONNECTORS.add("geo", GeoConnector())
