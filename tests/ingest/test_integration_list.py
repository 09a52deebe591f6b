"""The integration list (数据对接清单), from packs and the update log, and `lingshu sources`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ingest_support import pack_context, source
from lingshu.cli.main import main
from lingshu.ingest.integration import integration_list

SOURCES = [
    source("csv", name="firms", target="ods.firms", path="data/firms.csv", title="企业名录", provider="经济发展处",
           options={"frequency": "每月 monthly", "incremental": {"mode": "files"}},
           columns=[{"name": "id", "type": "BIGINT", "title": "编号"}, {"name": "name"}]),
    source("http", name="permits", target="ods.permits", title="施工许可",
           options={"url": "https://platform.example/api/permits", "pagination": {"type": "page"}}),
    source("csv", name="broken", target="ods.broken", path="data/firms.csv", options={"delimter": ","}),
]


def _ctx(tmp_path: Path):
    return pack_context(tmp_path, SOURCES, {"data/firms.csv": "id,name\n1,甲\nx,乙\n"},
                        schedule={"cron": "0 2 * * *"})


def test_list_has_provider_kind_frequency_fields_volume_status(tmp_path: Path) -> None:
    with _ctx(tmp_path) as ctx:
        ctx.run("t", select=["ods.firms"])
        ctx.run("t", select=["ods.firms"])
        items = {i.source: i for i in integration_list(list(ctx.catalog.packs.values()), ctx.state)}
    firms = items["firms"]
    assert (firms.provider, firms.kind, firms.frequency, firms.status) == ("经济发展处", "csv", "每月 monthly", "正常 ok")
    assert firms.fields == ["id(编号):BIGINT", "name:VARCHAR"] and firms.incremental == "增量 new files"
    assert [(r.rows_read, r.rows_quarantined) for r in firms.last_runs] == [(0, 0), (2, 1)]
    assert firms.volume == "0/0, 2/1"
    permits = items["permits"]
    assert (permits.provider, permits.frequency, permits.status) == ("测试部门", "cron 0 2 * * *", "未运行 never run")
    assert permits.location == "https://platform.example/api/permits"
    assert items["broken"].status == "配置错误 bad options" and "delimter" in items["broken"].last_error


def test_cli_sources_in_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with _ctx(tmp_path) as ctx:
        ctx.run("t", select=["ods.firms"])
        ws = ctx.workspace.root

    def cli(*args: str) -> str:
        with pytest.raises(SystemExit) as done:
            main(["-w", str(ws), "sources", *args])
        out = capsys.readouterr()
        assert not done.value.code, out.err
        return out.out

    table = cli("t")
    assert "数据对接清单" in table and "经济发展处" in table
    rows = list(csv.DictReader(io.StringIO(cli("t", "--format", "csv"))))
    assert [r["source"] for r in rows] == ["firms", "permits", "broken"] and rows[0]["volume"] == "2/1"
    data = json.loads(cli("t", "--format", "json"))
    assert data[0]["last_runs"][0]["rows_read"] == 2 and data[0]["fields"][0] == "id(编号):BIGINT"
    markdown = cli("--format", "markdown")
    assert markdown.startswith("| 场景包 pack") and "| t | firms | 企业名录 | 经济发展处 | csv |" in markdown
