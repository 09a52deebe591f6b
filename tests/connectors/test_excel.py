"""Excel sheets as departments fill them: merged title, two-level merged header, date serials."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ingest_support import data_rows, pack_context, read, source, update_of
from lingshu.connectors import ConnectorError


def _workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "封面"
    ws["A1"] = "见下一页"
    ws = wb.create_sheet("企业名单")
    ws["A1"] = "临港新片区重点企业名单（2024年第二季度）"
    ws.merge_cells("A1:F1")
    ws["A2"] = "填报单位：经济发展处"
    ws.merge_cells("A2:C2")
    ws["E2"] = "单位：万元"
    # Two-level header: 序号 and 成立日期 merged down, 企业信息 and 经营 merged across.
    ws["A3"] = "序号"
    ws.merge_cells("A3:A4")
    ws["B3"] = "企业信息"
    ws.merge_cells("B3:C3")
    ws["B4"], ws["C4"] = "名称", "统一社会信用代码"
    ws["D3"] = "成立日期"
    ws.merge_cells("D3:D4")
    ws["E3"] = "经营"
    ws.merge_cells("E3:F3")
    ws["E4"], ws["F4"] = "营收", "所属镇"
    rows = [
        (1, "上海临港智能制造有限公司", "91310115MA1H7ABC12", dt.datetime(2019, 3, 1), 5200.5, "南汇新城镇"),
        (2, "上海滴水湖科技有限公司", "91310115MA1K8DEF34", 43831, 880, "泥城镇"),  # a bare serial: 2020-01-01
        (3, "书院镇农业合作社", None, "不详", 12, "书院镇"),
    ]
    for r, values in enumerate(rows, start=5):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    ws["A9"] = "合计"
    ws["E9"] = 6092.5
    wb.save(path)


COLUMNS = [
    {"name": "seq", "title": "序号", "type": "INTEGER", "required": True},
    {"name": "name", "title": "企业信息_名称", "required": True},
    {"name": "uscc", "title": "企业信息_统一社会信用代码"},
    {"name": "founded", "title": "成立日期", "type": "DATE"},
    {"name": "revenue", "title": "经营_营收", "type": "DOUBLE"},
    {"name": "town", "title": "经营_所属镇"},
]


def test_merged_two_level_header_found_below_title(tmp_path: Path) -> None:
    _workbook(tmp_path / "firms.xlsx")
    src = source("excel", path="firms.xlsx", options={"sheet": "企业名单"}, columns=COLUMNS)
    table = read(src, tmp_path)
    assert table.column_names[:6] == ["序号", "企业信息_名称", "企业信息_统一社会信用代码", "成立日期", "经营_营收", "经营_所属镇"]
    rows = data_rows(table)
    assert rows[0]["成立日期"] == "2019-03-01" and rows[1]["成立日期"] == "2020-01-01"
    assert rows[0]["经营_营收"] == "5200.5" and rows[1]["经营_营收"] == "880" and rows[0]["序号"] == "1"
    assert table.column("_row_number").to_pylist() == [5, 6, 7, 9]  # sheet rows


def test_excel_ingest_quarantines_footer_and_bad_date(tmp_path: Path) -> None:
    src = source("excel", path="data/firms.xlsx", options={"sheet": 2}, columns=COLUMNS)
    _workbook((tmp_path / "wb.xlsx"))
    with pack_context(tmp_path, [src], {"data/firms.xlsx": (tmp_path / "wb.xlsx").read_bytes()}) as ctx:
        report = ctx.run("t")
        log = update_of(ctx, report.run_id)
        assert (log["rows_read"], log["rows_after"], log["rows_quarantined"]) == (4, 2, 2)
        assert ctx.query("SELECT founded FROM ods.src ORDER BY seq").column(0).to_pylist() == [
            dt.date(2019, 3, 1), dt.date(2020, 1, 1)]
        reasons = ctx.query("SELECT _row_number, _reason FROM quarantine.src ORDER BY 1").to_pylist()
        assert reasons[0]["_row_number"] == 7 and "founded" in reasons[0]["_reason"]
        assert reasons[1]["_row_number"] == 9 and "seq" in reasons[1]["_reason"]  # 合计 is not a 序号


def test_declared_header_and_first_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["说明"])
    ws.append(["id", "v"])
    ws.append([1, "a"])
    wb.save(tmp_path / "s.xlsx")
    rows = data_rows(read(source("xlsx", path="s.xlsx", options={"header_row": 2}), tmp_path))
    assert rows == [{"id": "1", "v": "a"}]


def test_broken_workbooks_say_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_bytes(b"this is not a zip file")
    with pytest.raises(ConnectorError) as err:
        read(source("excel", path="bad.xlsx"), tmp_path)
    assert "not a readable .xlsx" in err.value.message and "save it again" in err.value.hint
    _workbook(tmp_path / "ok.xlsx")
    with pytest.raises(ConnectorError, match="no sheet '名单'"):
        read(source("excel", path="ok.xlsx", options={"sheet": "名单"}), tmp_path)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ConnectorError, match="old .xls"):
        read(source("excel", path="old.xls"), tmp_path)
