"""方案设计: 需求确认单, 数据服务方案设计文档, and at hand-over the 用户使用确认单."""

from __future__ import annotations

from collections import Counter

from lingshu.docs.builders.common import next_runs, never_ran, num, run_summary, schedule_text, status
from lingshu.docs.facts import LAYER_TEXT, Facts, local
from lingshu.docs.model import Bullets, Document, Fields, Paragraph, Signatures, Table
from lingshu.docs.registry import DOCUMENTS, document, new_document

PARTIES = ["需求方（业务部门）", "承建方（数据工程）", "数据局（审核）"]


def _sources_table(facts: Facts) -> Table:
    rows = [[s.name, s.title or "", s.provider or facts.spec.department, s.kind, s.target, len(s.columns)]
            for s in facts.spec.sources]
    return Table(["数据源", "名称", "提供部门", "接入方式", "目标表", "字段数"], rows, caption="数据来源", empty="无外部数据源")


def _outputs(facts: Facts) -> Table:
    rows = [["数据接口", t, (facts.table(t).title if facts.table(t) else "")] for t in facts.spec.apis]
    rows += [["可视化看板", d, ""] for d in facts.spec.dashboards]
    rows += [["指标", f"{i['id']}", i["name"]] for i in facts.indicators]
    rows += [["交付文档", k.title, k.work] for _, k in DOCUMENTS.items() if k.applies(facts)]
    return Table(["类别", "名称/标识", "说明"], rows, caption="输出物清单")


@document("requirements", "需求确认单", "方案设计", 10)
def requirements(facts: Facts) -> Document:
    doc = new_document(facts, "requirements")
    spec = facts.spec
    doc.section("一、场景概况", Fields([("场景名称", spec.name), ("场景标识", spec.id), ("责任部门", spec.department),
                                    ("场景说明", spec.description or "（场景包未填写说明）"),
                                    ("依赖场景", "、".join(spec.depends_on) or "无")]))
    doc.section("二、服务对象", Bullets(spec.users) if spec.users else Paragraph("场景包未列出使用者（users）。", note=True))
    doc.section("三、数据来源", _sources_table(facts))
    doc.section("四、输出物", _outputs(facts))
    doc.section("五、更新频率", Paragraph(schedule_text(facts)))
    doc.section("六、确认意见",
                Paragraph("经双方确认，以上需求内容（场景目标、服务对象、数据来源、输出物与更新频率）与场景包定义一致。"
                          "如需变更，以修改后的场景包重新生成本确认单为准。"),
                Signatures(PARTIES))
    return doc


@document("solution_design", "数据服务方案设计文档", "方案设计", 20)
def solution_design(facts: Facts) -> Document:
    from lingshu.docs.builders.modeling import lineage_figure

    doc = new_document(facts, "solution_design")
    spec = facts.spec
    doc.section("1 建设目标", Paragraph(spec.description or "（场景包未填写说明）"),
                Fields([("服务对象", "、".join(spec.users) or "—"), ("责任部门", spec.department)]))
    layers = Counter(t.layer for t in facts.tables)
    arch = doc.section("2 总体架构",
                       Paragraph("数据自来源接入贴源层（ODS），经清洗治理进入明细层（DWD），按指标口径汇总到汇总层（DWS），"
                                 "面向应用形成应用层（ADS），并通过数据接口与可视化看板对外服务。"),
                       Table(["分层", "表数量", "表"], [[LAYER_TEXT[layer], layers[layer],
                                                     "、".join(t.name for t in facts.tables if t.layer == layer)]
                                                    for layer in LAYER_TEXT if layers[layer]], caption="分层设计"))
    arch.add(lineage_figure(facts))
    doc.section("3 数据对接方案", _sources_table(facts))
    rules = facts.pack.rules.tables if facts.pack.rules else {}
    doc.section("4 数据治理方案",
                Paragraph("每张表建成后按 rules.yaml 自动核验（GB/T 36344-2018 维度）；阻断规则不通过时下游跳过，"
                          "不合格行进入隔离区并保留原因。"),
                Table(["表", "规则数", "阻断规则", "规则说明"],
                      [[t, len(rs), sum(r.severity.value == "blocking" for r in rs),
                        "；".join(r.description or r.kind for r in rs)] for t, rs in rules.items()],
                      caption="质量规则概览", empty="场景包未声明质量规则"))
    doc.section("5 数据模型与指标",
                Table(["项目", "数量"], [["模型", len(facts.pack.models)], ["指标", len(facts.indicators)],
                                       ["物化指标表", sum(1 for m in facts.pack.models if m.layer == "dws"
                                                     and m.path.suffix != ".sql")]]))
    doc.section("6 数据服务",
                Table(["发布表", "名称", "接口路径"], [[t, facts.table(t).title if facts.table(t) else "",
                                                  f"/api/v1/datasets/{t}/rows"] for t in spec.apis],
                      caption="数据接口", empty="未发布数据接口"),
                Table(["看板文件"], [[d] for d in spec.dashboards], caption="可视化看板", empty="无看板"))
    doc.section("7 调度与运维", Fields([("更新频率", schedule_text(facts)),
                                    ("接下来的运行", "；".join(next_runs(facts)) or "—"),
                                    ("依赖场景", "、".join(spec.depends_on) or "无")]))
    cols = [c for t in facts.tables for c in t.columns]
    levels = Counter(c["classification"] for c in cols)
    doc.section("8 数据安全",
                Paragraph("字段按 公开/内部/敏感/重要 四级分级；个人信息与敏感字段对无明文权限的用户脱敏展示，"
                          "敏感字段以国密 SM4 加密存储，访问经授权并记入审计日志。"),
                Table(["分级", "字段数"], [[k, v] for k, v in sorted(levels.items())], caption="字段分级统计"),
                Paragraph(f"其中个人信息字段 {sum(1 for c in cols if c['personal'])} 个。"))
    return doc


@document("acceptance", "用户使用确认单", "可视化展示", 150)
def acceptance(facts: Facts) -> Document:
    doc = new_document(facts, "acceptance")
    s = run_summary(facts)
    doc.section("一、交付内容", _outputs(facts))
    run = facts.latest_run
    doc.section("二、试运行情况",
                *never_ran(facts),
                Fields([("运行次数", s["runs"]), ("成功次数", s["success"]), ("失败次数", s["failed"]),
                        ("成功率", s["rate"]), ("首次运行", s["first"]), ("最近运行", s["last"]),
                        ("最近运行状态", status(run["status"]) if run else "未运行")]))
    scores = [q["score"] for q, _ in facts.quality_latest.values() if q["score"] is not None]
    rows = [[t, num(q["row_count"]), status(q["status"]), q["score"], local(q["started_at"])]
            for t, (q, _) in facts.quality_latest.items()]
    doc.section("三、数据质量",
                Table(["表", "行数", "核验结果", "得分", "核验时间"], rows, caption="各表最近一次质量核验",
                      empty="尚未核验"),
                Paragraph(f"平均质量得分：{sum(scores) / len(scores):.2f}" if scores else "尚无质量得分。"))
    doc.section("四、使用意见", Fields([("使用部门", "、".join(facts.spec.users) or ""), ("使用意见", ""),
                                    ("是否同意上线使用", "□ 同意    □ 整改后同意    □ 不同意")]))
    doc.section("五、签字确认", Signatures(["使用部门", "承建方", "数据局"]))
    return doc
