"""CSV/TSV as departments send them: GBK with title rows, BOMs, tabs, ragged lines, bad bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest_support import data_rows, pack_context, read, source, update_of
from lingshu.connectors import ConnectorError

# A GBK export from Excel: a title row, a filler row, the header, data, trailing empty columns.
GBK_WITH_TITLES = (
    "临港新片区重点企业名录（2024年）,,,,\r\n"
    "填报单位：临港新片区管委会经济发展处,,,,\r\n"
    "企业名称,统一社会信用代码,所属镇,注册资本,成立日期\r\n"
    "上海临港智能制造有限公司,91310115MA1H7ABC12,南汇新城镇,5000,2019-03-01\r\n"
    "上海滴水湖科技有限公司,91310115MA1K8DEF34,泥城镇,1200.5,2020-07-15\r\n"
    "书院镇农业合作社,,书院镇,不详,2018-01-09\r\n"
).encode("gbk")


def test_gbk_with_title_rows_is_detected(tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_bytes(GBK_WITH_TITLES)
    table = read(source("csv", path="firms.csv"), tmp_path)
    assert table.column_names[:5] == ["企业名称", "统一社会信用代码", "所属镇", "注册资本", "成立日期"]
    rows = data_rows(table)
    assert len(rows) == 3
    assert rows[0]["企业名称"] == "上海临港智能制造有限公司" and rows[2]["注册资本"] == "不详"
    assert table.column("_row_number").to_pylist() == [1, 2, 3]
    assert table.column("_parse_error").null_count == 3


def test_gbk_with_titles_ingests_by_chinese_title_and_quarantines(tmp_path: Path) -> None:
    columns = [
        {"name": "name", "title": "企业名称", "required": True},
        {"name": "uscc", "title": "统一社会信用代码", "required": True},
        {"name": "town", "title": "所属镇"},
        {"name": "capital", "title": "注册资本", "type": "DECIMAL(18,2)"},
        {"name": "founded", "title": "成立日期", "type": "DATE"},
    ]
    with pack_context(tmp_path, [source("csv", path="data/firms.csv", columns=columns)],
                      {"data/firms.csv": GBK_WITH_TITLES}) as ctx:
        report = ctx.run("t")
        assert report.status == "success"
        log = update_of(ctx, report.run_id)
        assert (log["rows_read"], log["rows_after"], log["rows_quarantined"]) == (3, 2, 1)
        loaded = ctx.query("SELECT name, capital, founded FROM ods.src ORDER BY capital").to_pylist()
        assert [str(r["capital"]) for r in loaded] == ["1200.50", "5000.00"]
        bad = ctx.query("SELECT _source, _reason, name FROM quarantine.src").to_pylist()[0]
        assert bad["_source"] == "src" and bad["name"] == "书院镇农业合作社"
        assert "uscc" in bad["_reason"] and "capital" in bad["_reason"] and "不详" in bad["_reason"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_detected(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "a.csv").write_bytes("编号,名称\n1,滴水湖\n2,𠀀生僻字\n".encode(encoding)
                                     if encoding != "gb18030" else "编号,名称\n1,滴水湖\n2,镕\n".encode(encoding))
    table = read(source("csv", path="a.csv"), tmp_path)
    assert table.column_names[:2] == ["编号", "名称"]  # no BOM left in the first name
    assert table.column("名称")[0].as_py() == "滴水湖"


@pytest.mark.parametrize(("text", "kind", "options"), [
    ("a\tb\n1\t2\n3\t4\n", "tsv", {}),
    ("a\tb\n1\t2\n3\t4\n", "csv", {}),
    ("a;b\n1;2\n3;4\n", "csv", {}),
    ("a|b\n1|2\n3|4\n", "csv", {"delimiter": "pipe"}),
])
def test_delimiters(tmp_path: Path, text: str, kind: str, options: dict) -> None:
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    assert data_rows(read(source(kind, path="f.csv", options=options), tmp_path)) == [
        {"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


def test_declared_header_row_and_quoted_newlines(tmp_path: Path) -> None:
    text = '报表\n说明: 见附件\nid,addr\n1,"环湖西一路\n99号"\n2,"a,b"\n'
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    rows = data_rows(read(source("csv", path="f.csv", options={"header_row": 3}), tmp_path))
    assert rows == [{"id": "1", "addr": "环湖西一路\n99号"}, {"id": "2", "addr": "a,b"}]


def test_no_header(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("1,x\n2,y\n", encoding="utf-8")
    opts = {"header": False, "column_names": ["id", "v"]}
    assert data_rows(read(source("csv", path="f.csv", options=opts), tmp_path)) == [
        {"id": "1", "v": "x"}, {"id": "2", "v": "y"}]


def test_ragged_line_and_bad_bytes_become_parse_errors(tmp_path: Path) -> None:
    body = "id,name,town\n1,甲,泥城镇\n2,乙\n3,丙,书院镇,多余\n".encode("gbk") + b"4,\xff\xfe,x\n" + "5,戊,万祥镇,,\n".encode("gbk")
    (tmp_path / "f.csv").write_bytes(body)
    table = read(source("csv", path="f.csv", options={"encoding": "gbk"}), tmp_path)
    errors = dict(zip(table.column("_row_number").to_pylist(), table.column("_parse_error").to_pylist()))
    assert errors[1] is None and errors[5] is None  # trailing empty padding is harmless
    assert "2 fields, expected 3" in errors[2] and "4 fields, expected 3" in errors[3]
    assert "not valid in gb18030" in errors[4]
    raws = dict(zip(table.column("_row_number").to_pylist(), table.column("_raw").to_pylist()))
    assert raws[2] == "2,乙" and raws[3] == "3,丙,书院镇,多余"


def test_folder_of_files_with_different_headers(tmp_path: Path) -> None:
    folder = tmp_path / "monthly"
    folder.mkdir()
    (folder / "2024-01.csv").write_text("id,v\n1,a\n", encoding="utf-8")
    (folder / "2024-02.csv").write_bytes("id,v,note\n2,b,新增列\n".encode("gbk"))
    (folder / "README.md").write_text("not data", encoding="utf-8")
    (folder / "empty.csv").write_text("", encoding="utf-8")
    table = read(source("csv", path="monthly"), tmp_path)
    assert data_rows(table) == [{"id": "1", "v": "a", "note": None}, {"id": "2", "v": "b", "note": "新增列"}]
    assert {Path(p).name for p in table.column("_source_file").to_pylist()} == {"2024-01.csv", "2024-02.csv"}
    glob = read(source("csv", path="monthly/2024-*.csv"), tmp_path)
    assert glob.num_rows == 2


@pytest.mark.parametrize(("content", "message"), [
    (b"PK\x03\x04\x00\x00\x00\x08binary", "not a text file"),
    ("a,b\n".encode("utf-16"), "UTF-16"),
])
def test_unreadable_files_say_what_to_do(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "f.csv").write_bytes(content)
    with pytest.raises(ConnectorError) as err:
        read(source("csv", path="f.csv"), tmp_path)
    assert message in err.value.message and "'src'" in err.value.message and err.value.hint


def test_bad_options_name_source_and_option(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(ConnectorError) as err:
        read(source("csv", path="f.csv", options={"delimiter": ",,", "encodng": "gbk"}), tmp_path)
    text = err.value.message
    assert "'src'" in text and "delimiter" in text and "encodng: unknown option" in text


def test_missing_file_and_unknown_encoding(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="no file matches"):
        read(source("csv", path="nope.csv"), tmp_path)
    (tmp_path / "f.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(ConnectorError, match="unknown encoding"):
        read(source("csv", path="f.csv", options={"encoding": "klingon"}), tmp_path)
