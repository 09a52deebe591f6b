"""数据建模: 数据模型设计文档 (layers, lineage diagram), 数据指标清单, and for the legal person
library (scenario 15) the 法人库指标设计文档."""

from __future__ import annotations

from lingshu.docs.builders.common import num, table_title
from lingshu.docs.diagram import Node, lineage_svg
from lingshu.docs.facts import LAYER_TEXT, Facts
from lingshu.docs.model import Code, Document, Fields, Figure, Paragraph, Table
from lingshu.docs.registry import document, new_document
from lingshu.models.sql import SqlModel


def lineage_graph(facts: Facts) -> tuple[list[Node], list[tuple[str, str]]]:
    """The pack's tables and the other packs' tables they read, with the edges between them."""
    dag = facts.ctx.catalog.dag
    own = [t.name for t in facts.tables]
    upstream = sorted({d for t in own for d in dag.deps.get(t, []) if d not in own})
    nodes = [Node(n, table_title(facts, n), n in own) for n in [*upstream, *own]]
    edges = [(d, t) for t in own for d in dag.deps.get(t, [])]
    return nodes, edges


def lineage_figure(facts: Facts) -> Figure:
    """The lineage diagram, once per Facts (several documents show it)."""
    cached = facts.__dict__.get("_lineage_figure")
    if cached is not None:
        return cached
    nodes, edges = lineage_graph(facts)
    svg, width, height = lineage_svg(nodes, edges)
    fig = Figure("图 数据血缘（虚线框为上游场景包的表）", svg=svg, width_cm=min(16.0, width / 45))
    if facts.options.images and facts.browser is not None:
        fig.png = facts.browser.svg_png(svg, width, height)
        if fig.png is None:
            fig.missing = f"血缘图未能转为图片：{facts.browser.unavailable}"
    else:
        fig.missing = "本次生成未绘制图片（--no-images）；血缘关系见下表。"
    facts.__dict__["_lineage_figure"] = fig
    return fig


def _materialization(model: SqlModel) -> str:
    spec = model.spec
    if model.path.suffix != ".sql":
        return "指标物化（全量重建）"
    if spec and spec.materialized == "incremental":
        how = f"按分区 {spec.partition_by}" if spec.partition_by else f"按主键合并（水位 {spec.watermark or '无'}）"
        return f"增量：{how}"
    return "全量重建（原子替换）"


@document("model_design", "数据模型设计文档", "数据建模", 50)
def model_design(facts: Facts) -> Document:
    doc = new_document(facts, "model_design")
    layers = doc.section("一、分层设计", Paragraph(
        "模型按贴源层（ODS）、明细层（DWD）、汇总层（DWS）、应用层（ADS）分层；每个模型是一段 SQL 查询，"
        "平台按依赖顺序构建，构建过程原子替换，失败时保留上一版本。"))
    for layer, text in LAYER_TEXT.items():
        tables = [t for t in facts.tables if t.layer == layer]
        if tables:
            layers.sub(text, Table(["表名", "中文名", "主键", "字段数", "当前行数"],
                                   [[t.name, t.title, "、".join(t.key) or "—", len(t.columns), num(t.rows)]
                                    for t in tables]))
    nodes, edges = lineage_graph(facts)
    doc.section("二、数据血缘", lineage_figure(facts),
                Table(["上游表", "上游名称", "下游表", "下游名称"],
                      [[u, table_title(facts, u), d, table_title(facts, d)] for u, d in edges],
                      caption="表间依赖", empty="无表间依赖"))
    models = doc.section("三、模型清单")
    models.add(Table(["模型", "中文名", "分层", "构建方式", "主键", "上游表"],
                     [[m.name, m.spec.title if m.spec and m.spec.title else "", LAYER_TEXT[m.layer],
                       _materialization(m), "、".join(m.unique_key) or "—", "、".join(sorted(m.refs))]
                      for m in facts.pack.models], empty="场景包没有模型"))
    return doc


def _indicator_rows(facts: Facts) -> list[list[object]]:
    rows = []
    for i in facts.indicators:
        spec = facts.indicator_spec(i["id"])
        dims = [f"{d.name}（{d.title}）" if d.title else d.name for d in spec.dims] if spec else i["dimensions"]
        source = i["model"] or "由其他指标计算"
        rows.append([i["id"], i["name"], i["definition"], i["formula"], "、".join(dims) or "—",
                     "、".join(i["grains"]) or "—", i["unit"] or "—", source, i["owner"] or "—"])
    return rows


INDICATOR_COLUMNS = ["指标编号", "指标名称", "口径", "计算公式", "维度", "时间粒度", "单位", "来源表", "责任部门"]


@document("indicator_list", "数据指标清单", "数据建模", 60)
def indicator_list(facts: Facts) -> Document:
    doc = new_document(facts, "indicator_list")
    doc.section("一、指标清单", Table(INDICATOR_COLUMNS, _indicator_rows(facts), caption=f"共 {len(facts.indicators)} 个指标",
                                   empty="场景包未定义指标（indicators.yaml）"))
    detail = doc.section("二、指标说明")
    for i in facts.indicators:
        spec = facts.indicator_spec(i["id"])
        detail.sub(f"{i['id']} {i['name']}", Fields([
            ("口径", i["definition"]), ("度量", i["measure"]), ("计算公式", i["formula"]),
            ("过滤条件", "；".join(i["filters"]) or "无"), ("时间字段", spec.time.column if spec and spec.time else "—"),
            ("可加性", "可跨维度相加" if i["additive"] else "不可直接相加"), ("精度", i["precision"]),
            ("版本", i["version"]), ("口径指纹", i["fingerprint"]), ("物化表", "、".join(i["materialized_in"]) or "—")]))
    mats = facts.pack.indicators.materializations if facts.pack.indicators else []
    doc.section("三、指标物化", Table(["物化表", "指标", "维度", "时间粒度"],
                                  [[f"dws.{facts.pack.id}_{m.name}", "、".join(m.indicators), "、".join(m.dimensions),
                                    m.grain.value if m.grain else "—"] for m in mats], empty="无物化指标表"))
    return doc


# -- 法人库指标设计文档 (scenario 15) ------------------------------------------------------------
def legal_person_library(facts: Facts) -> list[str]:
    """Tables of the pack holding one row per enterprise (unique key exactly the credit code).

    Why a content test and not a pack id: the document belongs to whichever pack maintains the
    legal person library, and that is the pack whose table is keyed by 统一社会信用代码.
    """
    if facts.spec.domain.value != "industry":
        return []
    return [t.name for t in facts.tables if t.key == ["uscc"] and t.layer in ("dwd", "dws", "ads")]


def _completeness(facts: Facts, table: str) -> list[list[object]]:
    info = facts.table(table)
    if info is None or not info.built or not info.columns:
        return []
    layer, name = table.split(".")
    parts = ", ".join(f'count("{c["name"]}")' for c in info.columns)
    row = facts.ctx.engine.query(f'SELECT count(*), {parts} FROM "{layer}"."{name}"').to_pylist()[0]
    values = list(row.values())
    total = values[0] or 0
    return [[c["name"], c["title"], values[k + 1], f"{100.0 * values[k + 1] / total:.1f}%" if total else "—"]
            for k, c in enumerate(info.columns)]


@document("legal_person_indicators", "法人库指标设计文档", "数据建模", 65,
          applies=lambda f: bool(legal_person_library(f)))
def legal_person_indicators(facts: Facts) -> Document:
    doc = new_document(facts, "legal_person_indicators")
    libs = legal_person_library(facts)
    doc.section("一、设计范围", Paragraph("法人库以统一社会信用代码（GB 32100-2015）为唯一标识，每家法人一条黄金记录；"
                                     "本文档列出法人库的指标体系、口径与当前字段完整度。"),
                Table(["法人库表", "中文名", "当前法人数"],
                      [[t, table_title(facts, t), num(facts.table(t).rows)] for t in libs]))
    doc.section("二、指标体系", Table(INDICATOR_COLUMNS, _indicator_rows(facts), empty="场景包未定义指标"))
    sql = doc.section("三、指标计算")
    for i in facts.indicators:
        spec = facts.indicator_spec(i["id"])
        sql.sub(f"{i['id']} {i['name']}", Paragraph(i["definition"]),
                Code(f"-- {i['formula']}\n-- 来源 {i['model'] or '派生指标'}；维度 {', '.join(i['dimensions']) or '无'}"
                     + (f"\n-- 过滤 {' AND '.join(spec.filters)}" if spec and spec.filters else "")))
    comp = doc.section("四、字段完整度")
    for t in libs:
        comp.sub(t, Table(["字段", "中文名", "非空记录数", "完整率"], _completeness(facts, t), empty="表尚未生成"))
    return doc
