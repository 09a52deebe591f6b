"""Quality in a pack run: blocking vs warning, results on both state stores, masked samples,
the CLI and the HTML report (数据质量核验文档)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from lingshu.cli.main import main
from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.state.schema import quality_results, quality_runs
from support import ORDERS_PACK, write_files

PACK = {
    **ORDERS_PACK,
    "pack.yaml": ORDERS_PACK["pack.yaml"].replace(
        "models:", "rules: rules.yaml\n        models:").replace(
        "- {name: amount, type: \"DECIMAL(10,2)\"}",
        "- {name: amount, type: \"DECIMAL(10,2)\"}\n              - {name: phone, personal: true}\n"
        "              - {name: id_no}"),
    "data/orders.csv": """
        order_id,town,amount,phone,id_no
        1,南汇新城镇,10.5,13812345678,110105194912310021
        2,泥城镇,20,13987654321,
        3,南汇新城镇,-7,13700001111,
        x4,书院镇,1,,
        5,,3,,
        """,
    "models/dwd/orders.sql": "SELECT order_id, trim(town) AS town, amount, phone, id_no FROM ods.orders\n",
}
RULES = """
    tables:
      dwd.orders:
        - {kind: not_null, column: town, severity: blocking}
        - {kind: range, column: amount, min: 0, description: 金额非负}
      ads.orders_by_town:
        - {kind: not_null, column: town}
    """


def workspace(tmp_path: Path, state_url: str | None = None, rules: str = RULES) -> Context:
    packs = write_files(tmp_path / "packs" / "orders", {**PACK, "rules.yaml": rules}).parent
    ws = init_workspace(tmp_path / "ws", state_url=state_url, pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    return Context(ws)


def stored(ctx: Context) -> list[dict]:
    with ctx.state.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(
            sa.select(quality_results, quality_runs.c.run_id).join(quality_runs).order_by(quality_results.c.id))]


def test_warning_is_reported_and_stored_on_both_stores(tmp_path: Path, state_url: str) -> None:
    with workspace(tmp_path, state_url) as ctx:
        report = ctx.run("orders")
        assert report.status == "success"  # a failing warning does not stop anything
        steps = {s.table: s for s in report.steps}
        amount = steps["dwd.orders"].quality.results[1]
        assert (amount.rule_id, amount.checked, amount.failed, amount.status) == ("range_amount", 3, 1, "failed")
        rows = stored(ctx)
        assert [(r["table_name"], r["rule_id"], r["status"]) for r in rows] == [
            ("dwd.orders", "not_null_town", "passed"), ("dwd.orders", "range_amount", "failed"),
            ("ads.orders_by_town", "not_null_town", "passed")]
        bad = rows[1]
        assert (bad["checked"], bad["failed"], bad["dimension"], bad["severity"]) == (3, 1, "accuracy", "warning")
        assert bad["ratio"] == pytest.approx(1 / 3) and bad["run_id"] == report.run_id
        assert json.loads(bad["sample"])[0]["amount"] == "-7.00"


def test_blocking_failure_skips_downstream_and_keeps_the_table(tmp_path: Path) -> None:
    rules = RULES.replace("column: town, severity: blocking", "column: id_no, severity: blocking")
    with workspace(tmp_path, rules=rules) as ctx:
        report = ctx.run("orders")
        statuses = {s.table: s.status for s in report.steps}
        assert statuses == {"ods.orders": "success", "dwd.orders": "failed-quality",
                            "ads.orders_by_town": "skipped"}
        assert report.status == "failed" and "not_null_id_no" in report.steps[1].error
        assert ctx.engine.row_count("dwd", "orders") == 3  # the checked table stays
        assert not ctx.engine.table_exists("ads", "orders_by_town")
        assert ctx.state.list_runs("orders")[0]["status"] == "failed"


def test_samples_mask_personal_and_suggested_columns(tmp_path: Path) -> None:
    rules = """
    tables:
      dwd.orders:
        - {kind: range, column: amount, max: 5}
    """
    with workspace(tmp_path, rules=rules) as ctx:
        ctx.run("orders")
        sample = stored(ctx)[0]["sample"]
    rows = json.loads(sample)
    by_id = {r["order_id"]: r for r in rows}
    assert by_id[1]["phone"] == "138****5678"  # declared personal: masked as a phone
    assert by_id[1]["id_no"] == "110***********0021"  # not declared, but its name says ID number
    assert by_id[1]["town"] == "南汇新城镇"  # not sensitive: kept
    assert "13812345678" not in sample and "110105194912310021" not in sample


def test_row_count_change_uses_the_previous_check(tmp_path: Path) -> None:
    rules = "tables:\n  ods.orders:\n    - {kind: row_count_change, max_change: 0.1}\n"
    with workspace(tmp_path, rules=rules) as ctx:
        first = ctx.run("orders")
        csv = ctx.catalog.get("orders").root / "data/orders.csv"
        csv.write_text(csv.read_text(encoding="utf-8") + "6,万祥镇,1,,\n7,大团镇,2,,\n", encoding="utf-8")
        second = ctx.run("orders")
    r1 = first.steps[0].quality.results[0]
    r2 = second.steps[0].quality.results[0]
    assert (r1.status, r1.detail["previous"]) == ("passed", None)
    assert (r2.status, r2.detail) == ("failed", {"rows": 5, "previous": 3, "change": pytest.approx(2 / 3, abs=1e-5)})


def test_cli_quality_prints_writes_report_and_exits_1_on_blocking(tmp_path: Path, capsys) -> None:
    rules = RULES.replace("column: town, severity: blocking", "column: id_no, severity: blocking")
    with workspace(tmp_path, rules=rules) as ctx:
        ctx.run("orders")
        ws = ctx.workspace.root
    report = tmp_path / "q.html"
    with pytest.raises(SystemExit) as exit_:
        main(["-w", str(ws), "quality", "orders", "--report", str(report)])
    out = capsys.readouterr()
    assert exit_.value.code == 1
    assert "not_null_id_no" in out.out and "blocking quality rule" in out.err
    html = report.read_text(encoding="utf-8")
    for text in ("数据质量核验文档", "订单测试", "规范性", "完整性", "准确性", "一致性", "时效性", "可访问性",
                 "not_null_id_no", "金额非负", "问题样例", "<svg", "规则清单"):
        assert text in html
    assert "http://" not in html and "https://" not in html  # no external assets
    assert "13812345678" not in html


def test_cli_quality_passes_with_warnings_and_trends_accumulate(tmp_path: Path, capsys) -> None:
    with workspace(tmp_path) as ctx:
        ctx.run("orders")
        ws = ctx.workspace.root
    with pytest.raises(SystemExit) as exit_:
        main(["-w", str(ws), "quality", "orders"])
    assert exit_.value.code == 0
    assert (ws / "reports" / "quality_orders.html").exists()
    with Context.open(ws) as ctx:
        from lingshu.govern.quality.results import history

        assert len(history(ctx.state, "dwd.orders")) == 2  # the run's check and the CLI's
        runs = ctx.state.list_runs("orders")
        assert runs[0]["kind"] == "quality" and runs[0]["status"] == "success"
