"""A chart's data as an .xlsx workbook: one sheet per indicator (or the table's rows, or each map
layer), Chinese headers, and a 说明 sheet with each indicator's definition (口径) and version, so a
number leaving the platform keeps its meaning."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from lingshu.dashboards.kinds import PERIOD, ChartData, period_label

if TYPE_CHECKING:
    from lingshu.dashboards.loader import Dashboard
    from lingshu.indicators.service import IndicatorResult, IndicatorService

SHEET_NAME_MAX = 31  # Excel's limit


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | int | float | str) or value is None:
        return value
    return str(value)


def _result_sheet(data: ChartData, result: IndicatorResult) -> tuple[list[str], list[list[Any]]]:
    spec = result.spec
    columns = result.table.column_names
    headers = []
    for c in columns:
        if c == "value":
            headers.append(f"{spec.name}（{spec.unit}）" if spec.unit else spec.name)
        elif c == PERIOD:
            headers.append("时期")
        else:
            d = spec.dimension(c)
            headers.append((d.title if d and d.title else c))
    rows = []
    for r in result.table.to_pylist():
        rows.append([period_label(result.query.grain, r[c]) if c == PERIOD and result.query.grain else _cell(r[c])
                     for c in columns])
    return headers, rows


def chart_workbook(dash: Dashboard, data: ChartData, indicators: IndicatorService) -> tuple[bytes, int]:
    """(xlsx bytes, number of data rows written)."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    for r in data.results:
        sheets.append((r.spec.name, *_result_sheet(data, r)))
    if data.chart.type == "table":
        t = data.extra
        sheets.append((data.chart.title or "明细", [c["title"] for c in t["columns"]],
                       [[_cell(row.get(c["name"])) for c in t["columns"]] for row in t["rows"]]))
    for layer, payload in data.extra.get("layers", []):
        if isinstance(payload, list) and payload:
            keys = list(payload[0])
            sheets.append((layer.title or layer.type.value, keys, [[_cell(p.get(k)) for k in keys] for p in payload]))
    total = 0
    used_names: set[str] = set()
    for name, headers, rows in sheets:
        title = name[:SHEET_NAME_MAX]
        while title in used_names:
            title = title[: SHEET_NAME_MAX - 2] + f"_{len(used_names)}"
        used_names.add(title)
        ws = wb.create_sheet(title)
        ws.append(headers)
        for row in rows:
            ws.append(row)
        total += len(rows)
    about = wb.create_sheet("说明")
    about.append(["看板", dash.spec.title, dash.key])
    about.append(["图表", data.chart.title, data.chart.id])
    about.append(["导出时间", dt.datetime.now().isoformat(timespec="seconds")])
    about.append([])
    about.append(["指标", "名称", "口径", "单位", "版本", "指纹", "数据来源"])
    for r in data.results:
        m = r.meta()
        about.append([m["indicator"], m["name"], m["definition"], m["unit"], m["version"], m["fingerprint"], m["source"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), total
