"""CSV and TSV files as government departments send them.

What arrives: GBK or GB18030 from Excel on a Chinese Windows, UTF-8 with or without a BOM, commas
or tabs or semicolons, a title row or two (``临港新片区企业名录（2024年）``) above the header,
trailing empty columns from Excel, ragged lines, a stray byte that is not in the encoding. So:

- the encoding is declared or detected from the first bytes (BOM, then strict UTF-8, then
  GB18030, which is a superset of GBK and GB2312);
- the delimiter is declared or detected as the one giving the most lines of one width;
- the header is declared (``header_row``) or found as the first row filled like the data rows,
  which skips title rows;
- each line is decoded on its own, so one bad byte quarantines one row, not the file;
- a row with the wrong number of fields is kept with a ``_parse_error`` and its raw text.

A UTF-8 file that parses cleanly is read by DuckDB's CSV reader (an order of magnitude faster);
anything else (GBK, a ragged line, a bad byte, padding columns) goes through Python's csv module,
because DuckDB cannot decode GBK offline and its rejects lose our row numbering. Both stream, so
memory stays flat, and both yield the same rows.
"""

from __future__ import annotations

import codecs
import csv as pycsv
import math
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, field_validator

from lingshu.connectors.base import (
    BATCH_ROWS,
    CONNECTORS,
    ROW_NUMBER,
    SOURCE_FILE,
    ConnectorError,
    ReadContext,
    Row,
    SourceOptions,
    parse_options,
    resolve_files,
    rows_reader,
    text_schema,
    unique_names,
)
from lingshu.pack.spec import SourceSpec

SAMPLE_BYTES = 256 * 1024
SAMPLE_LINES = 200
DELIMITERS = (",", "\t", ";", "|")
# Declared names people write, mapped to the codec we decode with. GB18030 decodes all of GBK.
ENCODING_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "utf8": "utf-8",
                    "utf-8-bom": "utf-8-sig", "utf8-bom": "utf-8-sig"}

pycsv.field_size_limit(64 * 1024 * 1024)  # long address or geometry fields are legitimate


class CsvOptions(SourceOptions):
    encoding: str | None = Field(None, description="utf-8, utf-8-sig, gbk, gb18030...; detected if absent")
    delimiter: str | None = Field(None, description="one character, or 'tab'; detected if absent")
    header: bool = Field(True, description="false when the file has no header row")
    header_row: int | None = Field(None, ge=1, description="line number of the header; found if absent")
    skip_rows: int = Field(0, ge=0, description="lines to skip before the header (or the data)")
    column_names: list[str] | None = Field(None, description="names for a file without a header")
    quote: str = Field('"', min_length=1, max_length=1)

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(v.lower(), v)
        if len(v) != 1:
            raise ValueError("the delimiter is one character (or 'tab')")
        return v

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        if v is None:
            return v
        name = ENCODING_ALIASES.get(v.lower().replace("_", "-"), v.lower())
        try:
            codecs.lookup(name)
        except LookupError:
            raise ValueError(f"unknown encoding {v!r}; use utf-8, utf-8-sig, gbk or gb18030") from None
        return name


# -- detection ----------------------------------------------------------------------------------
def detect_encoding(sample: bytes, file: Path) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ConnectorError(f"{file.name} is UTF-16, which is not read line by line",
                             hint="save it again as UTF-8 or GBK (Excel: 'CSV UTF-8')")
    if b"\x00" in sample[:4096]:
        raise ConnectorError(f"{file.name} is not a text file (it contains NUL bytes)",
                             hint="check that path: points at the CSV, not an .xlsx or archive")
    lines = sample.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end inside a line (and inside a character)
    failures = {}
    for encoding in ("utf-8", "gb18030"):
        failures[encoding] = sum(1 for line in lines if not _decodes(line, encoding))
    # One stray byte must not make a UTF-8 file unreadable (that row is quarantined later), and
    # UTF-8 text often happens to decode as GB18030 mojibake: so UTF-8 wins ties.
    best = min(failures, key=lambda e: (failures[e], e != "utf-8"))
    if failures[best] * 2 > len(lines):
        raise ConnectorError(f"cannot tell the encoding of {file.name}: it is neither UTF-8 nor GBK/GB18030",
                             hint="declare options: {encoding: ...} for this source")
    return best


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _split(lines: list[str], delimiter: str, quote: str) -> list[list[str]]:
    try:
        return [r for r in pycsv.reader(lines, delimiter=delimiter, quotechar=quote) if any(c.strip() for c in r)]
    except pycsv.Error:
        return []


def detect_delimiter(lines: list[str], quote: str) -> str:
    """The delimiter that gives the most rows sharing one width greater than one."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in _split(lines, delimiter, quote)]
        if not widths:
            continue
        mode = statistics.mode(widths)
        score = (widths.count(mode), mode) if mode > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def detect_header(rows: list[list[str]]) -> int:
    """Index of the header among sample rows: the first row filled like the rows below it.

    Title rows (``企业名录,,,,``) have one or two cells; the header and data rows have most.
    """
    if not rows:
        return 0
    width = statistics.mode(len(r) for r in rows)
    filled = [sum(1 for c in r if c.strip()) for r in rows if len(r) == width]
    need = max(2, math.ceil(0.6 * statistics.median(filled))) if width > 1 else 1
    for i, row in enumerate(rows):
        if sum(1 for c in row if c.strip()) >= need:
            return i
    return 0


# -- one file -----------------------------------------------------------------------------------
@dataclass
class _Layout:
    """How to read one file, decided from its sample."""

    encoding: str
    delimiter: str
    header_line: int | None  # 1-based physical line of the header; None if no header
    first_line: int  # 1-based physical line where data starts
    names: list[str]
    width: int  # fields a data row may carry; extra empty trailing fields are tolerated
    decoded_lines: list[str] = field(default_factory=list, repr=False)


def _sample_lines(path: Path, encoding: str) -> list[str]:
    with path.open("rb") as f:
        lines = []
        for raw in f:
            lines.append(raw.decode(encoding, errors="replace"))
            if len(lines) >= SAMPLE_LINES:
                break
    return lines


def _layout(path: Path, opts: CsvOptions) -> _Layout:
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if not sample.strip():
        return _Layout("utf-8", ",", None, 1, [], 0)
    encoding = opts.encoding or detect_encoding(sample, path)
    lines = _sample_lines(path, encoding)
    default_delim = "\t" if path.suffix.lower() == ".tsv" else None
    delimiter = opts.delimiter or default_delim or detect_delimiter(lines[opts.skip_rows:], opts.quote)
    if not opts.header:
        first = opts.skip_rows + 1
        rows = _split(lines[opts.skip_rows:], delimiter, opts.quote)
        width = max((len(r) for r in rows), default=0)
        names = unique_names(opts.column_names or [f"col_{i}" for i in range(1, width + 1)])
        return _Layout(encoding, delimiter, None, first, names, max(width, len(names)))
    if opts.header_row is not None:
        header_line = opts.header_row
    else:
        # Find the header among the sample's non-blank rows, remembering their line numbers.
        numbered = [(i + 1, r) for i, line in enumerate(lines) if i >= opts.skip_rows
                    for r in _split([line], delimiter, opts.quote)]
        index = detect_header([r for _, r in numbered])
        header_line = numbered[index][0] if numbered else 1
    if header_line > len(lines):
        raise ConnectorError(f"{path.name}: header_row {header_line} is past the first {len(lines)} lines",
                             hint="fix header_row: in the source's options")
    header_cells = next(pycsv.reader([lines[header_line - 1]], delimiter=delimiter, quotechar=opts.quote), [])
    while header_cells and not header_cells[-1].strip():
        header_cells.pop()  # Excel pads rows with empty trailing columns
    names = unique_names(header_cells)
    return _Layout(encoding, delimiter, header_line, header_line + 1, names, len(names))


def _lines(path: Path, layout: _Layout, bad: set[int], pending: list[str]) -> Iterator[str]:
    """Decoded physical lines from ``first_line`` on; undecodable lines are noted in ``bad``.

    Splitting bytes on ``\\n`` is safe for UTF-8 and GB18030: neither uses 0x0A inside a character.
    """
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if number < layout.first_line:
                continue
            try:
                line = raw.decode(layout.encoding)
            except UnicodeDecodeError:
                bad.add(number)
                line = raw.decode(layout.encoding, errors="replace")
            pending.append(line)
            yield line


def _file_rows(path: Path, layout: _Layout, opts: CsvOptions, positions: list[int], total: int) -> Iterator[Row]:
    """Rows of one file, values placed at ``positions`` within the union of all files' columns."""
    bad: set[int] = set()
    pending: list[str] = []
    reader = pycsv.reader(_lines(path, layout, bad, pending), delimiter=layout.delimiter, quotechar=opts.quote)
    name = path.as_posix()
    row_number = 0
    last_line = layout.first_line - 1
    while True:
        error = None
        try:
            cells = next(reader)
        except StopIteration:
            return
        except pycsv.Error as exc:
            cells, error = None, f"CSV 无法解析 cannot parse: {exc}"
        line_no = layout.first_line - 1 + reader.line_num
        raw = "".join(pending).rstrip("\r\n")
        pending.clear()
        span = range(last_line + 1, line_no + 1)
        last_line = line_no
        if cells is not None and not any(c.strip() for c in cells):
            continue  # blank line: not a row
        row_number += 1
        if error is None and any(n in bad for n in span):
            error = f"第{line_no}行含有非 {layout.encoding} 字节 line {line_no} has bytes not valid in {layout.encoding}"
        if error is None and cells is not None and len(cells) != layout.width:
            extra = cells[layout.width:]
            if len(cells) > layout.width and not any(c.strip() for c in extra):
                cells = cells[:layout.width]  # only empty padding beyond the header: harmless
            else:
                error = (f"第{line_no}行有 {len(cells)} 个字段，应为 {layout.width} 个 "
                         f"line {line_no} has {len(cells)} fields, expected {layout.width}")
        if error is not None:
            yield Row([], name, row_number, error, raw)
            continue
        values: list[str | None] = [None] * total
        for pos, cell in zip(positions, cells):
            values[pos] = cell
        yield Row(values, name, row_number)


def _duckdb_batches(path: Path, layout: _Layout, opts: CsvOptions, schema: pa.Schema) -> list[pa.RecordBatch] | None:
    """The file through DuckDB's reader if it is UTF-8 and every line parses; else None.

    Strict parsing with rejects stored: one rejected line sends the whole file to the Python path,
    which numbers and quarantines each bad line. Row numbers count data rows like that path.
    """
    if layout.encoding not in ("utf-8", "utf-8-sig"):
        return None
    width = layout.width
    cols = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    sql = (f"SELECT * FROM read_csv(?, header = false, skip = {layout.first_line - 1}, delim = ?, quote = ?, "
           f"escape = ?, columns = {cols}, strict_mode = true, store_rejects = true, "
           f"rejects_table = 'lingshu_rejects', rejects_scan = 'lingshu_scan', auto_detect = false, "
           f"null_padding = false, nullstr = '\x01no-null\x01', new_line = '\\n')")
    con = duckdb.connect()
    try:
        table = con.execute(sql, [str(path), layout.delimiter, opts.quote, opts.quote]).to_arrow_table()
        rejected = con.execute("SELECT count(*) FROM lingshu_rejects").fetchone()[0]
    except duckdb.Error:
        return None  # anything DuckDB cannot read strictly is the Python path's job
    finally:
        con.close()
    if rejected:
        return None
    # Every value arrives as text ('' stays '', as in the Python path: the nullstr never occurs);
    # a row of only blanks is not a row.
    def empty(i: int) -> pa.ChunkedArray:
        return pc.equal(pc.utf8_trim_whitespace(table.column(i)), "")

    blank = empty(0)
    for i in range(1, width):
        blank = pc.and_(blank, empty(i))
    table = table.filter(pc.invert(blank))
    n = table.num_rows
    arrays = []
    for field in schema:
        if field.name in layout.names:
            arrays.append(table.column(layout.names.index(field.name)).cast(pa.string()))
        elif field.name == SOURCE_FILE:
            arrays.append(pa.array([path.as_posix()] * n, pa.string()))
        elif field.name == ROW_NUMBER:
            arrays.append(pa.array(range(1, n + 1), pa.int64()))
        else:
            arrays.append(pa.nulls(n, field.type))
    return pa.Table.from_arrays(arrays, schema=schema).to_batches(max_chunksize=BATCH_ROWS)


class CsvConnector:
    """Options: see ``CsvOptions``. A folder or glob may mix files with different headers."""

    options = CsvOptions

    def __init__(self, delimiter: str | None = None):
        self.delimiter = delimiter  # kind 'tsv' means tabs unless the options say otherwise

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        opts = parse_options(CsvOptions, source)
        if opts.delimiter is None and self.delimiter:
            opts = opts.model_copy(update={"delimiter": self.delimiter})
        files = resolve_files(source, ctx, suffixes=(".csv", ".tsv", ".txt"))
        layouts = []
        for path in files:
            try:
                layouts.append(_layout(path, opts))
            except OSError as exc:
                raise ConnectorError(f"source {source.name!r}: cannot read {path}: {exc.strerror}",
                                     hint="check the file exists and is readable") from None
            except ConnectorError as exc:
                raise ConnectorError(f"source {source.name!r}: {exc.message}", hint=exc.hint) from None
        # The union of every file's columns, in order of first appearance.
        columns: list[str] = []
        for layout in layouts:
            columns.extend(n for n in layout.names if n not in columns)
        index = {n: i for i, n in enumerate(columns)}

        schema = text_schema(columns)

        def batches() -> Iterator[pa.RecordBatch]:
            for path, layout in zip(files, layouts):
                if not layout.names:
                    continue  # an empty file: nothing to read, nothing lost
                fast = _duckdb_batches(path, layout, opts, schema)
                if fast is not None:
                    yield from fast
                    continue
                positions = [index[n] for n in layout.names]
                yield from rows_reader(columns, _file_rows(path, layout, opts, positions, len(columns)))

        return pa.RecordBatchReader.from_batches(schema, batches())


CONNECTORS.add("csv", CsvConnector())
CONNECTORS.add("tsv", CsvConnector(delimiter="\t"))
