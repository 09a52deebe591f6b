"""空间数据治理: the address-standardization rules report (地址标准化规则与匹配率报告).

The rules are the platform's own (``govern.address.STEPS`` and ``LEGACY``, listed from the code);
the rates are computed now over the warehouse: for each model column built with an address
function, the source column's values are parsed and counted (placed = a road was found), and
each rule's firings are counted, so the report shows what the rules did to this pack's data.
"""

from __future__ import annotations

from typing import Any

import sqlglot
from sqlglot import exp

from lingshu.docs.builders.common import num
from lingshu.docs.builders.logic import _schema_for
from lingshu.docs.facts import Facts
from lingshu.docs.lineage import model_lineage
from lingshu.docs.model import Document, Paragraph, Table
from lingshu.docs.registry import document, new_document

ADDRESS_FUNCS = {"address_parse", "address_standardize", "is_valid_address", "address_numerals"}
COMPONENT_TEXT = {"district": "区", "town": "镇/街道", "road": "路/街/大道/公路", "lane": "弄", "sub_lane": "支弄",
                  "number": "号（门牌号或楼号）", "building": "幢", "unit": "单元", "floor": "层", "room": "室"}
RULE_TEXT = {
    "fold_width": "全角转半角、兼容字符规范化（NFKC）",
    "strip_spaces": "去除空白",
    "drop_city_prefix": "去除“中国”“上海市”前缀",
    "drop_zone_name": "去除“中国(上海)自由贸易试验区临港新片区”等片区名",
    "strip_phone_noise": "去除末尾粘连的电话号码",
    "strip_landmark": "拆出括号中的地标说明",
    "numerals": "门牌单位前的中文数字转阿拉伯数字（十/百/千）",
    "shorthand_building_unit_room": "“12-3-1001”简写展开为 幢-单元-室",
    "shorthand_lane_number_room": "“弄5-101”简写展开为 号-室",
    "building_suffix": "“号楼/栋/座”统一为“幢”",
    "floor_suffix": "“楼”（楼层）统一为“层”",
    "room_suffix": "“房间/号房”统一为“室”",
    "legacy_name": "旧区划名、别名改为现名",
    "district_short_name": "临港镇名前的简写区名补全（浦东→浦东新区、奉贤→奉贤区）",
    "infer_district": "只有镇名时由临港镇名补全所属区",
}


def _calls(sql: str) -> bool:
    tree = sqlglot.parse_one(sql, read="duckdb")
    return any(f.name.lower() in ADDRESS_FUNCS for f in tree.find_all(exp.Anonymous))


def uses_addresses(facts: Facts) -> bool:
    """Packs whose models call the address functions, or whose rules validate addresses."""
    if any(_calls(m.sql) for m in facts.pack.models if m.path.suffix == ".sql"):
        return True
    rules = facts.pack.rules.tables.values() if facts.pack.rules else []
    return any(getattr(r, "validator", None) == "address" for rs in rules for r in rs)


def address_columns(facts: Facts) -> list[tuple[str, str, str]]:
    """(model.column, source table, source column) for every output built with an address function."""
    out = []
    for model in facts.pack.models:
        if model.path.suffix != ".sql" or not _calls(model.sql):
            continue
        for lin in model_lineage(model, _schema_for(facts, model)):
            if any(f"{name}(" in lin.expression.lower() for name in ADDRESS_FUNCS):
                for src in lin.sources:
                    layer, table, column = src.split(".")
                    out.append((f"{model.name}.{lin.column}", f"{layer}.{table}", column))
    return list(dict.fromkeys(out))


def _rates(facts: Facts, table: str, column: str) -> tuple[list[Any], list[list[Any]]]:
    layer, name = table.split(".")
    engine = facts.ctx.engine
    if not engine.table_exists(layer, name):
        return [], []
    src = f'"{layer}"."{name}"'
    col = f'CAST("{column}" AS VARCHAR)'
    row = engine.query(f"SELECT count(*) AS n, count({col}) AS filled, count_if(is_valid_address({col})) AS placed, "
                       f"count_if(address_parse({col}).rest IS NOT NULL) AS remainder FROM {src}").to_pylist()[0]
    row = {k: int(v or 0) for k, v in row.items()}  # count_if is a HUGEINT (Decimal in Python)
    fired = engine.query(f"SELECT rule, count(*) AS n FROM (SELECT unnest(address_parse({col}).rules) AS rule "
                         f"FROM {src} WHERE {col} IS NOT NULL) GROUP BY rule ORDER BY n DESC, rule").to_pylist()
    filled = row["filled"] or 0

    def pct(part: int) -> str:
        return f"{100.0 * part / filled:.1f}%" if filled else "—"

    summary = [num(row["n"]), num(filled), num(row["placed"]), pct(row["placed"]), num(row["remainder"]),
               pct(row["remainder"])]
    return summary, [[f["rule"], RULE_TEXT.get(f["rule"], "（未登记说明）"), num(int(f["n"])), pct(int(f["n"]))]
                     for f in fired]


@document("address_rules", "地址标准化规则与匹配率报告", "数据治理", 75, applies=uses_addresses)
def address_rules(facts: Facts) -> Document:
    from lingshu.govern.address import COMPONENTS, LEGACY, STEPS

    doc = new_document(facts, "address_rules")
    doc.section("一、地址层级", Paragraph("上海地址按 区 → 镇/街道 → 路 → 弄 → 支弄 → 号 → 幢 → 单元 → 层 → 室 解析；"
                                     "弄内的“号”为楼号，无弄时为门牌号。"),
                Table(["序号", "要素", "含义"], [[i, c, COMPONENT_TEXT.get(c, "")] for i, c in enumerate(COMPONENTS, 1)]))
    steps = list(dict.fromkeys([s.name for s in STEPS[:4]] + ["strip_phone_noise", "strip_landmark"]
                               + [s.name for s in STEPS[4:]] + ["infer_district"]))
    doc.section("二、标准化规则（按执行顺序）",
                Table(["序号", "规则", "说明"], [[i, n, RULE_TEXT.get(n, "（未登记说明）")] for i, n in enumerate(steps, 1)]),
                Table(["旧名/别名（正则）", "现名"], [[p, r] for p, r in LEGACY], caption="区划更名规则"))
    rates = doc.section("三、本场景数据的标准化结果")
    cols = address_columns(facts)
    if not cols:
        rates.add(Paragraph("本场景包的模型未直接调用地址函数；地址核验结果见质量规则部分。", note=True))
    for target, table, column in cols:
        summary, fired = _rates(facts, table, column)
        sec = rates.sub(f"{target}（来源 {table}.{column}）")
        if not summary:
            sec.add(Paragraph(f"来源表 {table} 尚未生成。", note=True))
            continue
        sec.add(Table(["总行数", "有地址", "可定位（解析出道路）", "可定位率", "有未解析余项", "余项率"], [summary]),
                Table(["规则", "说明", "触发行数", "触发率"], fired, caption="规则触发统计", empty="无规则触发"))
    ids = {(t, r.id) for t, rs in (facts.pack.rules.tables.items() if facts.pack.rules else [])
           for r in rs if getattr(r, "validator", None) == "address"}
    checks = [(t, r) for t, (_, rs) in facts.quality_latest.items() for r in rs if (t, r["rule_id"]) in ids]
    doc.section("四、地址质量核验", Table(
        ["表", "规则", "核验行数", "问题行数", "问题率"],
        [[t, r["rule_id"], num(r["checked"]), num(r["failed"]), f"{r['ratio']:.2%}"] for t, r in checks],
        empty="无地址类核验规则结果"))
    return doc
