"""Writers: every output file goes through one ``Sink`` that records it in ``manifest.json``.

Formats are registered by name (``csv_utf8``, ``csv_gbk``, ``excel``, ``jsonl``, ``parquet``,
``geojson``, ``text``). Every writer is deterministic: no timestamps, fixed zip entry times in
Excel files, so the same seed gives byte-identical files. Big event tables are written in batches
through ``Sink.stream`` so memory does not grow with scale.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lingshu.synth.errors import SynthError

FIXED_ZIP_TIME = (2025, 12, 31, 0, 0, 0)
FIXED_DOC_TIME = "2025-12-31T00:00:00Z"


@dataclass
class Entry:
    path: str
    table: str
    format: str
    rows: int
    role: str
    encoding: str | None = None
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _as_frame(data: pd.DataFrame | pa.Table) -> pd.DataFrame:
    return data.to_pandas() if isinstance(data, pa.Table) else data


def _write_csv(data, path: Path, encoding: str, opts: dict) -> None:
    if isinstance(data, pa.Table) and encoding == "utf-8":
        pacsv.write_csv(data, path)
        return
    df = _as_frame(data)
    try:
        df.to_csv(path, index=False, encoding=encoding, lineterminator="\r\n" if encoding == "gbk" else "\n")
    except UnicodeEncodeError as e:
        raise SynthError(f"{path.name}: a value cannot be written in {encoding}: {e.object[e.start:e.end]!r}",
                         hint="use only characters of the GBK set in generated text for GBK sources") from e


def _write_parquet(data, path: Path, opts: dict) -> None:
    table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
    pq.write_table(table, path, compression="zstd")


JSONL_CHUNK = 50_000  # rows per to_json call: pandas builds each call's whole text in memory


def _write_jsonl(data, path: Path, opts: dict) -> None:
    """One JSON object per line, written a chunk of rows at a time (same bytes as one to_json call)."""
    df = _as_frame(data)
    if len(df) == 0:
        df.to_json(path, orient="records", lines=True, force_ascii=False)
        return
    with open(path, "w", encoding="utf-8", newline="") as f:
        for start in range(0, len(df), JSONL_CHUNK):
            f.write(df.iloc[start : start + JSONL_CHUNK].to_json(orient="records", lines=True, force_ascii=False))


def _normalize_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed entry times and document dates (byte-identical reruns)."""
    src = zipfile.ZipFile(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DOC_TIME.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    src.close()
    path.write_bytes(buf.getvalue())


def _write_excel(data, path: Path, opts: dict) -> None:
    """A workbook as offices send it: a title row, a unit/date row, then Chinese headers."""
    from openpyxl import Workbook  # lazy: only Excel outputs need it

    df = _as_frame(data)
    wb = Workbook(write_only=True)
    sheet_rows = 1_000_000
    for s, start in enumerate(range(0, max(len(df), 1), sheet_rows)):
        ws = wb.create_sheet(opts.get("sheet", "Sheet1") + (f"_{s + 1}" if s else ""))
        ws.append([opts.get("title", path.stem)])
        ws.append([f"制表单位：{opts.get('unit', '临港新片区')}", None, f"导出日期：{opts.get('date', '2025-12-31')}"])
        ws.append(list(df.columns))
        part = df.iloc[start : start + sheet_rows]
        for row in part.itertuples(index=False, name=None):
            ws.append([None if (isinstance(v, float) and v != v) else v for v in row])
    wb.save(path)
    _normalize_zip(path)


def _wkt_coords(wkt: str) -> tuple[str, Any]:
    kind, body = wkt.split("(", 1)
    kind = kind.strip().upper()
    body = body.strip("() ")
    pts = [[float(x) for x in p.split()] for p in body.split(",")]
    return ("Polygon", [pts]) if kind == "POLYGON" else ("LineString", pts) if kind == "LINESTRING" else ("Point", pts[0])


def _write_geojson(data, path: Path, opts: dict) -> None:
    df = _as_frame(data)
    feats = []
    for rec in df.to_dict(orient="records"):
        kind, coords = _wkt_coords(rec.pop("wkt"))
        feats.append({"type": "Feature", "properties": rec, "geometry": {"type": kind, "coordinates": coords}})
    doc = {"type": "FeatureCollection", "name": path.stem, "crs_note": "WGS84; synthetic geometry", "features": feats}
    path.write_text(json.dumps(doc, ensure_ascii=False, default=str), encoding="utf-8")


FORMATS: dict[str, Callable[[Any, Path, dict], None]] = {
    "csv_utf8": lambda d, p, o: _write_csv(d, p, "utf-8", o),
    "csv_gbk": lambda d, p, o: _write_csv(d, p, "gbk", o),
    "parquet": _write_parquet,
    "jsonl": _write_jsonl,
    "excel": _write_excel,
    "geojson": _write_geojson,
}
ENCODINGS = {"csv_utf8": "utf-8", "csv_gbk": "gbk", "jsonl": "utf-8", "geojson": "utf-8"}


class Sink:
    """The output folder and its manifest."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.entries: list[Entry] = []
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SynthError(f"cannot create output folder {self.out}: {e}", hint="choose a writable --out") from e

    def write(self, data: pd.DataFrame | pa.Table, rel: str, fmt: str, *, table: str, role: str = "source",
              description: str = "", **opts: Any) -> Entry:
        if fmt not in FORMATS:
            raise SynthError(f"unknown output format {fmt!r}", hint=f"use one of: {', '.join(sorted(FORMATS))}")
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        FORMATS[fmt](data, path, opts)
        entry = Entry(rel, table, fmt, int(data.num_rows if isinstance(data, pa.Table) else len(data)), role,
                      ENCODINGS.get(fmt), description, {k: v for k, v in opts.items() if k in ("title", "unit")})
        self.entries.append(entry)
        return entry

    def text(self, content: str, rel: str, *, table: str, role: str = "source", description: str = "") -> Entry:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        entry = Entry(rel, table, "text", 1, role, "utf-8", description)
        self.entries.append(entry)
        return entry

    def stream(self, rel: str, fmt: str, *, table: str, role: str = "source", description: str = "") -> StreamWriter:
        return StreamWriter(self, rel, fmt, table, role, description)

    def record(self, entry: Entry) -> None:
        self.entries.append(entry)

    def manifest(self, config: dict) -> dict:
        files = []
        for e in self.entries:
            item = {"path": e.path, "table": e.table, "format": e.format, "rows": e.rows, "role": e.role}
            if e.encoding:
                item["encoding"] = e.encoding
            if e.description:
                item["description"] = e.description
            item.update(e.extra)
            p = self.out / e.path
            if p.is_file():
                item["bytes"] = p.stat().st_size
                item["sha256"] = sha256(p)
            files.append(item)
        doc = {"generator": "lingshu.synth", "note": "synthetic data (合成数据); geometry is synthetic",
               "config": config, "files": files}
        (self.out / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return doc


class StreamWriter:
    """Append batches (Arrow tables) to one CSV or Parquet file without holding them all."""

    def __init__(self, sink: Sink, rel: str, fmt: str, table: str, role: str, description: str):
        if fmt not in ("csv_utf8", "parquet"):
            raise SynthError(f"format {fmt!r} cannot be streamed", hint="stream csv_utf8 or parquet")
        self.sink, self.rel, self.fmt, self.table, self.role, self.description = sink, rel, fmt, table, role, description
        self.path = sink.out / rel
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._writer: Any = None

    def write(self, batch: pa.Table) -> None:
        if self._writer is None:
            if self.fmt == "parquet":
                self._writer = pq.ParquetWriter(self.path, batch.schema, compression="zstd")
            else:
                self._writer = pacsv.CSVWriter(self.path, batch.schema)
        self._writer.write_table(batch)
        self.rows += batch.num_rows

    def close(self) -> Entry:
        if self._writer is not None:
            self._writer.close()
        entry = Entry(self.rel, self.table, self.fmt, self.rows, self.role, ENCODINGS.get(self.fmt), self.description)
        self.sink.record(entry)
        return entry

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
