"""数据对接: 数据对接清单 (from ``ingest.integration``) and 数据库表 (the data dictionary)."""

from __future__ import annotations

from lingshu.docs.builders.common import never_ran, num
from lingshu.docs.facts import LAYER_TEXT, Facts
from lingshu.docs.model import Document, Fields, Paragraph, Table
from lingshu.docs.registry import document, new_document
from lingshu.ingest.integration import integration_list


@document("integration_list", "数据对接清单", "数据对接", 30)
def integration(facts: Facts) -> Document:
    doc = new_document(facts, "integration_list")
    items = integration_list([facts.pack], facts.ctx.state)
    doc.section("一、对接总览", *never_ran(facts), Table(
        ["数据源", "名称", "提供部门", "接入方式", "位置", "目标表", "更新频率", "全量/增量", "状态"],
        [[i.source, i.title, i.provider, i.kind, i.location, i.target, i.frequency, i.incremental, i.status]
         for i in items], caption=f"共 {len(items)} 个数据源", empty="场景包未声明数据源"))
    detail = doc.section("二、各数据源明细")
    for item in items:
        source = next(s for s in facts.spec.sources if s.name == item.source)
        sec = detail.sub(f"{item.source} {item.title}".strip())
        sec.add(Fields([("目标表", item.target), ("水位/已加载", item.watermark or "—"),
                        ("最近错误", item.last_error or "无")]))
        sec.add(Table(["字段", "中文名", "类型", "必填", "分级"],
                      [[c.name, c.title or "", c.type, c.required, c.classification or ""] for c in source.columns],
                      caption="对接字段", empty="未声明字段（按文件表头全部接入为文本）"))
        sec.add(Table(["运行编号", "状态", "读取行数", "入库后行数", "隔离行数", "开始时间"],
                      [[r.run_id, r.status, num(r.rows_read), num(r.rows_loaded), num(r.rows_quarantined),
                        r.started_at] for r in item.last_runs],
                      caption="最近接入情况（数据更新日志）", empty="尚未接入"))
    return doc


@document("data_dictionary", "数据库表（数据字典）", "数据对接", 40)
def data_dictionary(facts: Facts) -> Document:
    doc = new_document(facts, "data_dictionary")
    doc.section("一、表清单", *never_ran(facts), Table(
        ["表名", "中文名", "分层", "主键", "字段数", "当前行数", "状态"],
        [[t.name, t.title, LAYER_TEXT[t.layer], "、".join(t.key) or "—", len(t.columns), num(t.rows),
          "已生成" if t.built else "未生成"] for t in facts.tables], caption=f"共 {len(facts.tables)} 张表"))
    body = doc.section("二、表结构")
    for t in facts.tables:
        sec = body.sub(f"{t.name} {t.title}".strip())
        sec.add(Fields([("表名", t.name), ("中文名", t.title or "—"), ("分层", LAYER_TEXT[t.layer]),
                        ("来源", "数据源接入" if t.kind == "source" else "模型加工"),
                        ("主键", "、".join(t.key) or "—"), ("当前行数", num(t.rows)), ("说明", t.description or "—")]))
        if not t.built:
            sec.add(Paragraph("该表尚未生成：字段取自场景包声明，类型以声明为准。", note=True))
        sec.add(Table(["序号", "字段名", "中文名", "类型", "分级", "个人信息", "主键", "必填", "说明"],
                      [[i, c["name"], c["title"], c["type"], c["classification"], c["personal"], c["key"],
                        c["required"], c["description"]] for i, c in enumerate(t.columns, 1)],
                      caption=f"{t.name} 字段", empty="未声明字段，且表尚未生成"))
    return doc
