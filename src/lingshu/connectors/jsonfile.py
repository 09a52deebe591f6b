"""JSON documents and JSON Lines files.

A JSON document holds its records at ``record_path`` (``data.list``), or is itself the list (or a
single object: one record). JSON Lines has one record per line; a line that is not JSON, or not an
object, is quarantined with its raw text while the other lines load. A document that is not valid
JSON cannot be split into rows, so it fails with the line and column of the fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pyarrow as pa
from pydantic import Field

from lingshu.connectors.base import CONNECTORS, ConnectorError, ReadContext, SourceOptions, parse_options, resolve_files
from lingshu.connectors.csv import SAMPLE_BYTES, detect_encoding
from lingshu.connectors.records import RecordSpool, dig
from lingshu.pack.spec import SourceSpec

LINE_SUFFIXES = (".jsonl", ".ndjson")


class JsonOptions(SourceOptions):
    format: Literal["auto", "json", "jsonl"] = Field("auto", description="auto: .jsonl/.ndjson are lines")
    record_path: str | None = Field(None, description="dotted path to the list of records, e.g. data.list")
    encoding: str | None = Field(None, description="utf-8 or gb18030; detected if absent")


def _encoding(path: Path, opts: JsonOptions) -> str:
    if opts.encoding:
        return opts.encoding
    with path.open("rb") as f:
        return detect_encoding(f.read(SAMPLE_BYTES), path)


def _read_lines(path: Path, encoding: str, spool: RecordSpool) -> None:
    name = path.as_posix()
    number = 0
    with path.open("rb") as f:
        for line_no, raw in enumerate(f, start=1):
            try:
                text = raw.decode(encoding).strip()
            except UnicodeDecodeError:
                number += 1
                spool.add_error(name, number, f"第{line_no}行含有非 {encoding} 字节 line {line_no} has bytes not valid in "
                                f"{encoding}", raw.decode(encoding, errors="replace").strip())
                continue
            if not text:
                continue
            number += 1
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                spool.add_error(name, number, f"第{line_no}行不是有效的 JSON line {line_no} is not valid JSON: {exc.msg}", text)
                continue
            spool.add(record, name, number)


def _read_document(path: Path, encoding: str, opts: JsonOptions, spool: RecordSpool) -> None:
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as exc:
        raise ConnectorError(f"{path.name} has bytes not valid in {encoding} at offset {exc.start}",
                             hint="declare options: {encoding: ...}, or fix the file") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and opts.format == "auto":
            _read_lines(path, encoding, spool)  # several documents: it is JSON Lines named .json
            return
        raise ConnectorError(f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                             hint="fix the file (a validator such as `python -m json.tool` shows the spot)") from None
    records = dig(document, opts.record_path, path.name)
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list):
        raise ConnectorError(f"{path.name}: the records are a {type(records).__name__}, not a list",
                             hint="point record_path: at the list of records")
    for number, record in enumerate(records, start=1):
        spool.add(record, path.as_posix(), number)


class JsonConnector:
    options = JsonOptions

    def __init__(self, fmt: str = "auto"):
        self.format = fmt

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        opts = parse_options(JsonOptions, source)
        if opts.format == "auto" and self.format != "auto":
            opts = opts.model_copy(update={"format": self.format})
        spool = RecordSpool()
        for path in resolve_files(source, ctx, suffixes=(".json", *LINE_SUFFIXES)):
            try:
                encoding = _encoding(path, opts)
                lines = opts.format == "jsonl" or (opts.format == "auto" and path.suffix.lower() in LINE_SUFFIXES)
                if lines:
                    _read_lines(path, encoding, spool)
                else:
                    _read_document(path, encoding, opts, spool)
            except ConnectorError as exc:
                raise ConnectorError(f"source {source.name!r}: {exc.message}", hint=exc.hint) from None
            except OSError as exc:
                raise ConnectorError(f"source {source.name!r}: cannot read {path}: {exc.strerror}",
                                     hint="check the file exists and is readable") from None
        return spool.reader()


CONNECTORS.add("json", JsonConnector())
CONNECTORS.add("jsonl", JsonConnector("jsonl"))
