"""Excel workbooks (.xlsx) as departments fill them in.

A typical sheet has a merged title across the top (``临港新片区重点企业名单``), a "填报单位" line,
then a two-level header whose group cells are merged (``企业信息`` over ``名称`` and ``统一社会信用代码``;
``序号`` merged down both rows), then data, then a ``合计`` or ``制表人`` footer. So:

- merged ranges are filled with their top-left value before anything else looks at the sheet;
- the header is the first row with several distinct values (a merged title has one);
- its depth is taken from merges that start on it (or declared with ``header_rows``), and the
  column name joins the levels: ``企业信息_名称``;
- dates come out ISO whether the cell is date-formatted or a bare serial number in a column
  declared DATE or TIMESTAMP (the workbook's 1900 or 1904 epoch is respected);
- footers are not guessed away: they fail their declared types and land in quarantine.

openpyxl needs the whole sheet in memory to see merged ranges (its streaming mode ignores them);
departmental workbooks are small, and a million-row export should be sent as CSV.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import Field

from lingshu.connectors.base import (
    CONNECTORS,
    ConnectorError,
    ReadContext,
    Row,
    SourceOptions,
    declared_type,
    parse_options,
    resolve_files,
    rows_reader,
    unique_names,
)
from lingshu.connectors.values import to_text
from lingshu.pack.spec import SourceSpec

SAMPLE_ROWS = 50
DATE_TYPES = ("DATE", "TIMESTAMP", "DATETIME", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")
HEADER_JOIN = "_"


class ExcelOptions(SourceOptions):
    sheet: str | int | None = Field(None, description="sheet name, or 1-based position; first sheet if absent")
    header_row: int | None = Field(None, ge=1, description="row number of the (top) header row; found if absent")
    header_rows: int | None = Field(None, ge=1, le=5, description="header depth; from merged cells if absent")
    header: bool = Field(True, description="false when the sheet has no header row")


@dataclass
class _Sheet:
    name: str
    rows: list[list[Any]]  # merged ranges filled; rows[i] is sheet row i + 1
    epoch: Any
    merges: list[tuple[int, int, int, int]]  # (min_row, max_row, min_col, max_col), 1-based


def _open(path: Path, opts: ExcelOptions) -> _Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() == ".xls":
        raise ConnectorError(f"{path.name} is an old .xls workbook, which cannot be read",
                             hint="open it in Excel or WPS and save as .xlsx")
    try:
        wb = openpyxl.load_workbook(path, data_only=True)  # cached formula results, not formulas
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ConnectorError(f"{path.name} is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                             hint="open it in Excel or WPS and save it again as .xlsx") from None
    names = wb.sheetnames
    choice = opts.sheet
    if choice is None:
        ws = wb.worksheets[0]
    elif isinstance(choice, int):
        if not 1 <= choice <= len(names):
            raise ConnectorError(f"{path.name} has {len(names)} sheet(s); sheet {choice} does not exist",
                                 hint=f"use a number from 1 to {len(names)} or one of: {', '.join(names)}")
        ws = wb.worksheets[choice - 1]
    elif choice in names:
        ws = wb[choice]
    else:
        raise ConnectorError(f"{path.name} has no sheet {choice!r}", hint=f"use one of: {', '.join(names)}")
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                rows[r][c] = value
    merges = [(m.min_row, m.max_row, m.min_col, m.max_col) for m in ws.merged_cells.ranges]
    sheet = _Sheet(ws.title, rows, wb.epoch, merges)
    wb.close()
    return sheet


def _filled(row: list[Any]) -> int:
    return len({str(v).strip() for v in row if v is not None and str(v).strip()})


def _find_header(rows: list[list[Any]]) -> int:
    """0-based index of the first row with several distinct values (titles have one)."""
    sample = [r for r in rows[:SAMPLE_ROWS] if _filled(r)]
    if not sample:
        return 0
    need = max(2, math.ceil(0.6 * statistics.median(_filled(r) for r in sample)))
    for i, row in enumerate(rows[:SAMPLE_ROWS]):
        if _filled(row) >= need:
            return i
    return next(i for i, r in enumerate(rows) if _filled(r))


def _depth(merges: list[tuple[int, int, int, int]], header_row: int) -> int:
    """Header depth: merges starting on the header row that span rows, or group cells over columns."""
    depth = 1
    for min_row, max_row, min_col, max_col in merges:
        if min_row != header_row:
            continue
        if max_row > min_row:
            depth = max(depth, max_row - min_row + 1)
        elif max_col > min_col:
            depth = max(depth, 2)  # a group title over sub-headers in the next row
    return depth


def _header_name(parts: list[Any]) -> str:
    out: list[str] = []
    for part in parts:
        text = "".join(str(part).split()) if part is not None else ""
        if text and (not out or out[-1] != text):  # a vertical merge repeats itself
            out.append(text)
    return HEADER_JOIN.join(out)


@dataclass
class _Layout:
    sheet: _Sheet
    first_row: int  # 0-based index of the first data row
    names: list[str]


def _layout(path: Path, opts: ExcelOptions) -> _Layout:
    sheet = _open(path, opts)
    rows = sheet.rows
    if not rows:
        return _Layout(sheet, 0, [])
    if not opts.header:
        width = max(len(r) for r in rows)
        return _Layout(sheet, 0, [f"col_{i}" for i in range(1, width + 1)])
    top = opts.header_row - 1 if opts.header_row else _find_header(rows)
    if top >= len(rows):
        raise ConnectorError(f"{path.name}: header_row {top + 1} is below the last row ({len(rows)})",
                             hint="fix header_row: in the source's options")
    depth = opts.header_rows or _depth(sheet.merges, top + 1)
    header = rows[top:top + depth]
    width = max(len(r) for r in header)
    names = [_header_name([r[c] if c < len(r) else None for r in header]) for c in range(width)]
    while names and not names[-1]:
        names.pop()
    return _Layout(sheet, top + depth, unique_names(names))


def _cell(value: Any, is_date: bool, epoch: Any) -> str | None:
    if is_date and isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            moment = from_excel(value, epoch)
        except (ValueError, OverflowError):
            return to_text(value)  # not a plausible serial: let the declared type reject it
        if moment is not None and hasattr(moment, "hour") and moment.hour == moment.minute == moment.second == 0:
            return moment.date().isoformat()
        return to_text(moment)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        # Excel has no DATE type, only date-formatted numbers: midnight means a date. It still
        # casts to TIMESTAMP, and a DATE column would reject '2019-03-01 00:00:00'.
        return value.date().isoformat()
    return to_text(value)


def _sheet_rows(path: Path, layout: _Layout, source: SourceSpec, positions: list[int], total: int) -> Iterator[Row]:
    width = len(layout.names)
    dates = [declared_type(source, n) in DATE_TYPES for n in layout.names]
    epoch = layout.sheet.epoch
    name = path.as_posix()
    for index in range(layout.first_row, len(layout.sheet.rows)):
        cells = layout.sheet.rows[index]
        if not _filled(cells):
            continue
        sheet_row = index + 1
        extra = [v for v in cells[width:] if v is not None and str(v).strip()]
        if extra:
            raw = "\t".join("" if v is None else str(v) for v in cells)
            yield Row([], name, sheet_row,
                      f"第{sheet_row}行在表头以外的列有值 row {sheet_row} has values beyond the header's {width} columns",
                      raw)
            continue
        values: list[str | None] = [None] * total
        for c, pos in enumerate(positions):
            values[pos] = _cell(cells[c], dates[c], epoch) if c < len(cells) else None
        yield Row(values, name, sheet_row)


class ExcelConnector:
    """Options: see ``ExcelOptions``. ``_row_number`` is the sheet's own row number."""

    options = ExcelOptions

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        opts = parse_options(ExcelOptions, source)
        files = resolve_files(source, ctx, suffixes=(".xlsx", ".xlsm", ".xls"))
        layouts = []
        for path in files:
            try:
                layouts.append(_layout(path, opts))
            except ConnectorError as exc:
                raise ConnectorError(f"source {source.name!r}: {exc.message}", hint=exc.hint) from None
        columns: list[str] = []
        for layout in layouts:
            columns.extend(n for n in layout.names if n not in columns)
        index = {n: i for i, n in enumerate(columns)}

        def rows() -> Iterator[Row]:
            for path, layout in zip(files, layouts):
                yield from _sheet_rows(path, layout, source, [index[n] for n in layout.names], len(columns))

        return rows_reader(columns, rows())


CONNECTORS.add("excel", ExcelConnector())
CONNECTORS.add("xlsx", ExcelConnector())
