"""The ops report (HTML), the update-log export, the ops API's permissions, and the CLI end to end."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from lingshu.cli.main import app
from lingshu.core.context import Context
from lingshu.ops import Ops
from lingshu.ops.reports import export_update_log, period_of, render_ops_report
from lingshu.serve.app import create_app
from ops_support import RUN_FAILED_API, approve


def _today() -> date:
    return datetime.now(UTC).date()


def test_periods_are_beijing_calendar_weeks_and_months() -> None:
    week = period_of("week", date(2026, 3, 4))  # a Wednesday
    assert (week.start.date(), week.end.date()) == (date(2026, 3, 2), date(2026, 3, 9))
    assert week.start.utcoffset().total_seconds() == 8 * 3600 and "第10周" in week.label
    month = period_of("month", date(2026, 12, 31))
    assert (month.start.date(), month.end.date(), month.label) == (date(2026, 12, 1), date(2027, 1, 1), "2026年12月")


def test_ops_report_has_runs_volumes_incidents_and_no_external_assets(ops_ctx: Context) -> None:
    ops = Ops(ops_ctx)  # real clock: the runs below happen now
    approve(ops_ctx, "orders")
    ops_ctx.run("orders")
    ops_ctx.run("orders_report")
    incident = ops.raise_alert(RUN_FAILED_API)
    ops.incidents.resolve(incident, "wang", cause="源文件迟到", fix="补跑")
    html = render_ops_report(ops, period_of("week", _today()))
    assert "数据运维报告" in html and "各场景包运行情况" in html
    assert re.search(r"任务运行<b>2</b>", html) and "100%" in html
    assert "ods.orders" in html and "dwd.orders" in html  # volumes per table
    assert "源文件迟到" in html and "严重" in html and "达标" in html
    assert "隔离率" in html and "40%" in html  # 2 of 5 rows quarantined on ingest
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing loads from anywhere


def test_update_log_exports(ops_ctx: Context, tmp_path: Path) -> None:
    ops = Ops(ops_ctx)
    ops_ctx.run("orders")
    n = export_update_log(ops, tmp_path / "log.csv")
    rows = list(csv.reader((tmp_path / "log.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert n == 3 and rows[0][:4] == ["运行编号", "场景包", "触发方式", "表"]
    assert {r[3] for r in rows[1:]} == {"ods.orders", "dwd.orders", "ads.orders_by_town"}
    export_update_log(ops, tmp_path / "log.xlsx", pack="orders")
    sheet = load_workbook(tmp_path / "log.xlsx")["数据更新日志"]
    assert sheet.max_row == 4 and [c.value for c in sheet["D"]][1:] == [r[3] for r in rows[1:]]


def test_ops_api_needs_ops_manage(ops_ctx: Context) -> None:
    ops = Ops(ops_ctx)
    incident = ops.raise_alert(RUN_FAILED_API)
    accounts = ops_ctx.security.accounts
    accounts.add_user("analyst1", ["analyst"], password="0123456789ab")
    accounts.add_user("ops1", ["operator"], password="0123456789ab")
    client = TestClient(create_app(ops_ctx))
    assert client.get("/api/v1/ops/incidents").status_code == 401
    denied = client.get("/api/v1/ops/incidents", headers={"X-API-Key": accounts.create_key("analyst1")})
    assert denied.status_code == 403 and "ops.manage" in denied.json()["error"]
    headers = {"X-API-Key": accounts.create_key("ops1")}
    listed = client.get("/api/v1/ops/incidents", headers=headers).json()
    assert [i["id"] for i in listed] == [incident] and listed[0]["grade_label"] == "严重"
    assert client.post(f"/api/v1/ops/incidents/{incident}/ack", headers=headers).json()["status"] == "acknowledged"
    bad = client.post(f"/api/v1/ops/incidents/{incident}/close", headers=headers)
    assert bad.status_code == 400 and "cannot be closed" in bad.json()["error"]
    done = client.post(f"/api/v1/ops/incidents/{incident}/resolve", headers=headers, json={"cause": "网络", "fix": "重连"})
    assert done.json()["resolved_by"] == "ops1"
    [note] = client.get("/api/v1/ops/notifications?unread=true", headers=headers).json()
    client.post(f"/api/v1/ops/notifications/{note['id']}/read", headers=headers)
    assert client.get("/api/v1/ops/notifications?unread=true", headers=headers).json() == []
    assert client.get("/api/v1/ops/alerts", headers=headers).json()[0]["kind"] == "run_failed"
    assert ("incident.resolve", "ops1") in [(r["action"], r["actor"]) for r in ops_ctx.security.audit.list()]


def test_cli_scheduler_backfill_incident_backup_restore_report(ops_ctx: Context, tmp_path: Path) -> None:
    approve(ops_ctx, "orders")
    ws = str(ops_ctx.workspace.root)
    ops_ctx.close()  # the CLI opens the warehouse itself
    cli = CliRunner()

    def run(*args: str) -> str:
        result = cli.invoke(app, ["-w", ws, *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "success" in run("backfill", "orders", "--from", "2026-02-01", "--to", "2026-02-02")
    run("scheduler", "--once")
    assert "complete" in run("backup")
    assert "lingshu-" in run("backup", "--list")
    with Context.open(ws) as ctx:
        incident = Ops(ctx).raise_alert(RUN_FAILED_API)
    run("incident", "ack", str(incident))
    run("incident", "resolve", str(incident), "--cause", "账号过期", "--fix", "更新账号")
    run("incident", "close", str(incident))
    assert "账号过期" in run("incident", "show", str(incident))
    assert f"{incident}" in run("incident", "list", "-q", "账号")
    out = run("report", "ops", "--period", "month", "--date", "2026-02-10", "--out", str(tmp_path / "r.html"))
    assert (tmp_path / "r.html").exists() and "2026年2月" in (tmp_path / "r.html").read_text(encoding="utf-8")
    run("report", "updates", "--out", str(tmp_path / "u.xlsx"))
    assert (tmp_path / "u.xlsx").exists()
    label = re.search(r"lingshu-\d{8}-\d{6}-[0-9a-f]{4}", run("backup", "--list")).group(0)
    assert "restored" in run("restore", label, "--yes")
    assert "2026年2月" in out or "数据运维报告" in out
