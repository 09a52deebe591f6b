"""数据分析: 数据处理逻辑文档: each model's logic in words and SQL, with column lineage (SQLGlot).

The words are read off the SQL's syntax tree (sources, joins, filters, grouping, de-duplication,
ordering) and the SQL file's leading comments, so they cannot drift from what runs.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from lingshu.docs.builders.common import num, table_title
from lingshu.docs.facts import LAYER_TEXT, Facts
from lingshu.docs.lineage import build_schema, model_lineage
from lingshu.docs.model import Bullets, Code, Document, Fields, Paragraph, Table
from lingshu.docs.registry import document, new_document
from lingshu.models.sql import SqlModel

JOIN_TEXT = {"LEFT": "左关联", "RIGHT": "右关联", "FULL": "全关联", "CROSS": "交叉关联", "": "关联", "INNER": "内关联"}


def comment_lines(sql: str) -> list[str]:
    """The ``--`` comment lines at the top of a model file: its author's own description."""
    out = []
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        out.append(stripped.lstrip("-").strip())
    return [" ".join(out)] if out else []


def steps_in_words(model: SqlModel) -> list[str]:
    tree = sqlglot.parse_one(model.sql, read="duckdb")
    steps: list[str] = []
    ctes = [c.alias for c in tree.find_all(exp.CTE)]
    if ctes:
        steps.append(f"分 {len(ctes)} 步中间结果（WITH）：{'、'.join(ctes)}")
    tables = sorted({f"{t.db}.{t.name}" for t in tree.find_all(exp.Table) if t.db})
    if tables:
        steps.append(f"读取：{'、'.join(tables)}")
    for join in tree.find_all(exp.Join):
        side = (join.side or join.kind or "").upper()
        on = join.args.get("on")
        using = join.args.get("using")
        cond = on.sql(dialect="duckdb") if on is not None else (
            "USING " + ", ".join(u.sql() for u in using) if using else "")
        steps.append(f"{JOIN_TEXT.get(side, '关联')} {join.this.sql(dialect='duckdb')}" + (f"，条件 {cond}" if cond else ""))
    for where in tree.find_all(exp.Where):
        steps.append(f"筛选：{where.this.sql(dialect='duckdb')}")
    for group in tree.find_all(exp.Group):
        steps.append(f"按 {', '.join(e.sql(dialect='duckdb') for e in group.expressions)} 分组汇总")
    aggs = sorted({type(a).__name__.upper() for a in tree.find_all(exp.AggFunc)})
    if aggs:
        steps.append(f"聚合函数：{'、'.join(aggs)}")
    for having in tree.find_all(exp.Having):
        steps.append(f"汇总后筛选：{having.this.sql(dialect='duckdb')}")
    for qualify in tree.find_all(exp.Qualify):
        steps.append(f"窗口筛选（去重/取最新）：{qualify.this.sql(dialect='duckdb')}")
    if any(isinstance(u, exp.Union) for u in tree.walk()):
        steps.append("合并多个查询结果（UNION）")
    if isinstance(tree, exp.Select) and tree.args.get("distinct"):
        steps.append("去除重复行（DISTINCT）")
    order = tree.args.get("order") if isinstance(tree, exp.Query) else None
    if order is not None:
        steps.append(f"排序：{', '.join(o.sql(dialect='duckdb') for o in order.expressions)}")
    return steps


def _schema_for(facts: Facts, model: SqlModel) -> dict:
    def columns_of(table: str) -> dict[str, str]:
        info = facts.table(table)
        if info is not None:
            return {c["name"]: c["type"] or "VARCHAR" for c in info.columns}
        layer, name = table.split(".")
        engine = facts.ctx.engine
        if engine.table_exists(layer, name):
            return {c.name: c.type for c in engine.columns(layer, name)}
        return {}

    return build_schema(sorted(model.refs), columns_of)


@document("processing_logic", "数据处理逻辑文档", "数据分析", 80)
def processing_logic(facts: Facts) -> Document:
    doc = new_document(facts, "processing_logic")
    doc.section("一、处理流程总览", Table(
        ["序号", "模型", "中文名", "分层", "输入表", "最近更新后行数"],
        [[i, m.name, table_title(facts, m.name), LAYER_TEXT[m.layer], "、".join(sorted(m.refs)),
          num((facts.last_update_of(m.name) or {}).get("rows_after"))]
         for i, m in enumerate(_ordered_models(facts), 1)], empty="场景包没有模型"))
    body = doc.section("二、各模型处理逻辑")
    for model in _ordered_models(facts):
        info = facts.table(model.name)
        sec = body.sub(f"{model.name} {table_title(facts, model.name)}".strip())
        words = [model.spec.description] if model.spec and model.spec.description else []
        words += comment_lines(model.sql) if model.path.suffix == ".sql" else ["由指标定义（indicators.yaml）生成的物化汇总。"]
        for text in words:
            sec.add(Paragraph(text))
        last = facts.last_update_of(model.name)
        sec.add(Fields([("输入表", "、".join(sorted(model.refs)) or "—"), ("主键", "、".join(model.unique_key) or "—"),
                        ("最近一次更新", f"运行 #{last['run_id']}：新增 {num(last['rows_inserted'])}，更新 "
                                    f"{num(last['rows_updated'])}，删除 {num(last['rows_deleted'])}，"
                                    f"更新后 {num(last['rows_after'])} 行" if last else "尚未构建")]))
        sec.add(Bullets(steps_in_words(model)))
        sec.add(Code(model.sql))
        lineage = model_lineage(model, _schema_for(facts, model),
                                [c["name"] for c in info.columns] if info and info.columns else None)
        titles = {c["name"]: c["title"] for c in info.columns} if info else {}
        sec.add(Table(["输出字段", "中文名", "来源字段", "转换方式", "表达式"],
                      [[c.column, titles.get(c.column, ""), "、".join(c.sources) or "—", c.kind,
                        c.error or c.expression] for c in lineage], caption="字段级血缘（SQLGlot 解析）"))
    return doc


def _ordered_models(facts: Facts) -> list[SqlModel]:
    order = {t.name: i for i, t in enumerate(facts.tables)}
    return sorted(facts.pack.models, key=lambda m: order.get(m.name, 0))
