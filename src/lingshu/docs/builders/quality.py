"""数据治理 and testing: 数据质量核验文档 and 测试文件.

The quality document reuses the views of the HTML 数据质量核验文档 (``govern.quality.report``),
so both show the same stored results; only the layout differs. The test file runs the pack's
quality rules first (``prepare``: one ``quality`` run in the records) and lists each rule as a
test case, plus the steps of the latest run and a pytest JUnit file if the pack ships one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from statistics import mean
from typing import Any

from lingshu.docs.builders.common import never_ran, num, status
from lingshu.docs.facts import Facts, local
from lingshu.docs.model import Document, Fields, Paragraph, Table
from lingshu.docs.registry import document, new_document

JUNIT_FILES = ("tests/junit.xml", "junit.xml")  # relative to the pack folder, then reports/junit_<pack>.xml


def _views(facts: Facts) -> list[dict[str, Any]]:
    from lingshu.govern.quality.registry import ensure_loaded
    from lingshu.govern.quality.report import _table_view

    ensure_loaded()
    rules = facts.pack.rules.tables if facts.pack.rules else {}
    return [_table_view(facts.ctx, facts.pack, t, rs) for t, rs in rules.items()]


def _ratio(row: dict[str, Any] | None) -> str:
    return f"{row['ratio']:.2%}" if row else "—"


@document("quality", "数据质量核验文档", "数据治理", 70)
def quality(facts: Facts) -> Document:
    from lingshu.govern.quality.report import _dimension_scores
    from lingshu.govern.quality.spec import Dimension

    doc = new_document(facts, "quality")
    views = _views(facts)
    latest = [r for v in views for r in v["stored"]]
    dims = _dimension_scores(latest)
    score = round(mean(dims.values()), 2) if dims else None
    doc.section("一、核验概况", *never_ran(facts), Fields([
        ("规则总数", sum(len(v["rules"]) for v in views)), ("通过", sum(r["status"] == "passed" for r in latest)),
        ("不通过", sum(r["status"] == "failed" for r in latest)), ("无法核验", sum(r["status"] == "error" for r in latest)),
        ("阻断规则不通过", sum(r["status"] != "passed" and r["severity"] == "blocking" for r in latest)),
        ("综合得分", score if score is not None else "尚未核验")]),
        Table(["维度（GB/T 36344-2018）", "得分"], [[d.label, dims.get(d.value, "—")] for d in Dimension]))
    body = doc.section("二、各表核验结果")
    for v in views:
        check = v["latest"]
        sec = body.sub(f"{v['name']} {v['title']}".strip())
        sec.add(Fields([("核验结果", v["status"]), ("核验时间", local(check["started_at"]) if check else "—"),
                        ("行数", num(check["row_count"]) if check else "—"),
                        ("得分", check["score"] if check else "—")]))
        sec.add(Table(["规则", "说明", "类型", "维度", "级别", "核验行数", "问题行数", "问题率", "结果"],
                      [[r["id"], r["description"], r["kind"], r["dimension"], r["severity"],
                        num(r["result"]["checked"]) if r["result"] else "—",
                        num(r["result"]["failed"]) if r["result"] else "—", _ratio(r["result"]), r["status"]]
                       for r in v["rules"]], caption="规则与结果"))
        for r in v["rules"]:
            if r["sample"]:
                sec.add(Table(r["columns"], [[row.get(c) for c in r["columns"]] for row in r["sample"]],
                              caption=f"问题样例：{r['id']}（敏感字段已脱敏）"))
    return doc


def run_checks(facts: Facts) -> None:
    """Run the pack's rules once before the documents are built (测试文件 needs fresh results)."""
    built = [t for t in facts.tables if t.built]
    if facts.pack.rules is None or not built:
        facts.__dict__["test_check"] = None
        return
    result = facts.ctx.quality.check_pack(facts.pack.id, trigger="docs")
    facts.__dict__["test_check"] = result
    for key in ("runs", "pipeline_runs", "quality_latest"):  # the check added records
        facts.__dict__.pop(key, None)


def _junit(facts: Facts) -> tuple[Path, list[list[Any]]] | None:
    candidates = [facts.pack.root / p for p in JUNIT_FILES]
    candidates.append(facts.ctx.workspace.root / "reports" / f"junit_{facts.pack.id}.xml")
    for path in candidates:
        if path.is_file():
            root = ET.parse(path).getroot()
            rows = []
            for case in root.iter("testcase"):
                outcome = ("失败" if case.find("failure") is not None or case.find("error") is not None
                           else "跳过" if case.find("skipped") is not None else "通过")
                rows.append([case.get("classname", ""), case.get("name", ""), case.get("time", ""), outcome])
            return path, rows
    return None


@document("tests", "测试文件", "可视化展示", 120, prepare=run_checks)
def tests(facts: Facts) -> Document:
    doc = new_document(facts, "tests")
    check = facts.__dict__.get("test_check")
    cases = doc.section("一、数据质量测试用例", *never_ran(facts))
    if check is None:
        cases.add(Paragraph("本次未执行质量测试：场景包没有质量规则，或其表尚未生成。", note=True))
    else:
        passed = sum(r.status == "passed" for r in check.results)
        cases.add(Fields([("测试运行", f"#{check.run_id}（质量核验）"), ("用例数", len(check.results)),
                          ("通过", passed), ("未通过", len(check.results) - passed),
                          ("阻断失败", len(check.blocking_failed)),
                          ("结论", "通过" if not check.blocking_failed else "不通过（存在阻断规则失败）")]))
        cases.add(Table(["编号", "表", "用例（预期）", "级别", "核验行数", "问题行数", "实际结果", "判定"],
                        [[k, r.table, r.description or r.rule_id, r.severity.label, num(r.checked), num(r.failed),
                          r.error or f"问题率 {r.ratio:.2%}", status(r.status)]
                         for k, r in enumerate(check.results, 1)], caption="用例与结果"))
    run = facts.latest_run
    steps = [u for u in facts.updates if run and u["run_id"] == run["id"]]
    doc.section("二、运行测试（最近一次运行的各步骤）",
                Table(["表", "步骤", "结果", "更新后行数", "错误信息"],
                      [[u["table_name"], u["step"], status(u["status"]), num(u["rows_after"]), u["error"] or ""]
                       for u in steps], caption=f"运行 #{run['id']}" if run else "", empty="尚无运行记录"))
    junit = _junit(facts)
    sec = doc.section("三、单元测试（JUnit）")
    if junit is None:
        sec.add(Paragraph("未找到 JUnit 结果文件（场景包 tests/junit.xml 或工作区 reports/junit_<pack>.xml）。", note=True))
    else:
        path, rows = junit
        sec.add(Paragraph(f"结果文件：{path.name}，共 {len(rows)} 个用例，失败 {sum(r[3] == '失败' for r in rows)} 个。"),
                Table(["类", "用例", "耗时（秒）", "结果"], rows))
    return doc

