"""Streaming exports: CSV (UTF-8 with BOM, or GBK for older office software), .xlsx and GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyarrow as pa

from lingshu.core.registry import Registry
from lingshu.datasets.catalog import Dataset


@dataclass(frozen=True)
class Export:
    media_type: str
    extension: str
    geometry: str  # how geometry columns are selected: "wkt" or "geojson"
    # (dataset, output columns, tables already decrypted/masked for the caller) -> bytes
    write: Callable[[Dataset, list[str], Iterator[pa.Table]], Iterator[bytes]]


EXPORTERS: Registry[Export] = Registry("export format")


def _rows(output: list[str], tables: Iterator[pa.Table]) -> Iterator[list]:
    for table in tables:
        columns = [table.column(n).to_pylist() for n in output]
        yield from zip(*columns, strict=True)


def _headers(dataset: Dataset, output: list[str]) -> list[str]:
    return [(dataset.column(n).title or n) if dataset.column(n) else n for n in output]  # type: ignore[union-attr]


def _csv(encoding: str, bom: bool) -> Callable[..., Iterator[bytes]]:
    def write(dataset: Dataset, output: list[str], tables: Iterator[pa.Table]) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_headers(dataset, output))
        # errors="replace": a character GBK cannot hold becomes "?" rather than failing mid-stream.
        yield ("\ufeff" if bom else "").encode(encoding) + buffer.getvalue().encode(encoding, errors="replace")
        for i, row in enumerate(_rows(output, tables)):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(["" if v is None else v for v in row])
            yield buffer.getvalue().encode(encoding, errors="replace")

    return write


def _xlsx(dataset: Dataset, output: list[str], tables: Iterator[pa.Table]) -> Iterator[bytes]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(dataset.table[:31])
    sheet.append(_headers(dataset, output))
    for row in _rows(output, tables):
        sheet.append([v if not isinstance(v, dict | list) else json.dumps(v, ensure_ascii=False) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)  # the xlsx zip is written at the end; rows were streamed into the workbook
    yield buffer.getvalue()


def _geojson(dataset: Dataset, output: list[str], tables: Iterator[pa.Table]) -> Iterator[bytes]:
    geom = dataset.geometry
    props = [c for c in output if geom is None or c != geom.name]
    yield b'{"type":"FeatureCollection","features":['
    first = True
    for row in _rows(output, tables):
        record = dict(zip(output, row, strict=True))
        shape = record.get(geom.name) if geom else None
        feature = {"type": "Feature", "geometry": json.loads(shape) if shape else None,
                   "properties": {k: record[k] for k in props}}
        yield (b"" if first else b",") + json.dumps(feature, ensure_ascii=False, default=str).encode()
        first = False
    yield b"]}"


EXPORTERS.add("csv", Export("text/csv; charset=utf-8", "csv", "wkt", _csv("utf-8", True)))
EXPORTERS.add("csv-gbk", Export("text/csv; charset=gbk", "csv", "wkt", _csv("gbk", False)))
EXPORTERS.add("xlsx", Export("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "wkt", _xlsx))
EXPORTERS.add("geojson", Export("application/geo+json", "geojson", "geojson", _geojson))
