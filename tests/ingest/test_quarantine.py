"""Broken input never crashes and never loses a row: quarantine with reasons, or a clear error."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from ingest_support import pack_context, source, update_of
from lingshu.cli.main import main
from lingshu.connectors import CONNECTORS, ReadContext
from lingshu.pack.spec import SourceSpec

COLS = [{"name": "id", "type": "BIGINT", "required": True}, {"name": "town", "required": True},
        {"name": "amount", "type": "DECIMAL(10,2)"}]
MALFORMED = ("id,town,amount\n"
             "1,南汇新城镇,10.5\n"
             "2,泥城镇\n"                      # too few fields
             '3,"书院镇,9\n'                   # unclosed quote swallows the rest
             ).encode("utf-8")


def test_malformed_csv_quarantines_with_reason_source_and_raw_text(tmp_path: Path) -> None:
    body = "id,town,amount\n1,南汇新城镇,10.5\n2,泥城镇\nabc,万祥镇,1\n4,,2\n5,大团镇,1,多\n".encode() + b"6,\xff,1\n"
    with pack_context(tmp_path, [source("csv", path="data/m.csv", columns=COLS)], {"data/m.csv": body}) as ctx:
        report = ctx.run("t")
        assert report.status == "success"
        log = update_of(ctx, report.run_id)
        assert (log["rows_read"], log["rows_after"], log["rows_quarantined"]) == (6, 1, 5)
        assert log["rows_read"] == log["rows_after"] + log["rows_quarantined"]
        rows = ctx.query("SELECT _row_number, _reason, _raw, _source, _source_file, _run_id "
                         "FROM quarantine.src ORDER BY 1").to_pylist()
        assert [r["_row_number"] for r in rows] == [2, 3, 4, 5, 6]
        assert "fields" in rows[0]["_reason"] and rows[0]["_raw"] == "2,泥城镇"
        assert "id: 不是有效的 BIGINT" in rows[1]["_reason"] and "abc" in rows[1]["_reason"]
        assert "town: 缺少必填值" in rows[2]["_reason"]
        assert "not valid in" in rows[4]["_reason"]
        assert all(r["_source"] == "src" and r["_source_file"].endswith("m.csv") and r["_run_id"] == report.run_id
                   for r in rows)
        assert not ctx.engine.table_exists("ods", "__raw_src")
        ods_cols = [c.name for c in ctx.engine.columns("ods", "src")]
        assert "_parse_error" not in ods_cols and "_raw" not in ods_cols and "_source_file" in ods_cols


def test_wrong_file_fails_the_step_with_a_message_and_keeps_the_old_table(tmp_path: Path) -> None:
    with pack_context(tmp_path, [source("csv", path="data/m.csv", columns=COLS)],
                      {"data/m.csv": "id,town,amount\n1,泥城镇,1\n"}) as ctx:
        assert ctx.run("t").status == "success"
        (ctx.catalog.get("t").root / "data/m.csv").write_text("编号,镇\n1,泥城镇\n", encoding="utf-8")
        report = ctx.run("t")
        assert report.status == "failed"
        assert "lacks declared column(s) id, town, amount; it has 编号, 镇" in report.steps[0].error
        assert ctx.query("SELECT count(*) FROM ods.src").column(0)[0].as_py() == 1
        assert update_of(ctx, report.run_id)["status"] == "failed"


def test_cli_prints_error_and_fix_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx_as_csv = b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary garbage"
    with pack_context(tmp_path, [source("csv", path="data/m.csv", columns=COLS)], {"data/m.csv": xlsx_as_csv}) as ctx:
        ws = ctx.workspace.root
    # Through the real entry point: the workspace file keeps built-in packs on, which is fine.
    with pytest.raises(SystemExit) as done:
        main(["-w", str(ws), "run", "t"])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert done.value.code == 1
    assert "Traceback" not in out
    assert "not a text file" in out and "path: points at the CSV" in out


class _Boom:
    """A connector whose stream breaks after the first batch, as a flaky parser library would."""

    options = None

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        schema = pa.schema([("id", pa.string())])

        def batches():
            yield pa.record_batch([pa.array(["1"])], schema=schema)
            raise ValueError("unexpected end of data at byte 4711")

        return pa.RecordBatchReader.from_batches(schema, batches())


def test_an_exception_mid_stream_becomes_a_connector_error(tmp_path: Path) -> None:
    if "boom_test" not in CONNECTORS:
        CONNECTORS.add("boom_test", _Boom())
    with pack_context(tmp_path, [source("boom_test", columns=[{"name": "id"}])]) as ctx:
        report = ctx.run("t")
        assert report.status == "failed"
        assert "reading failed: ValueError: unexpected end of data at byte 4711" in report.steps[0].error


@pytest.mark.parametrize("kind", ["csv", "excel", "json", "parquet"])
def test_an_empty_folder_match_is_a_clear_error(tmp_path: Path, kind: str) -> None:
    with pack_context(tmp_path, [source(kind, path="nothing/*.dat", columns=[{"name": "id"}])]) as ctx:
        report = ctx.run("t")
        assert "no file matches 'nothing/*.dat'" in report.steps[0].error
