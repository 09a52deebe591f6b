"""Changing a pack changes its regenerated documents; pack-specific kinds appear for the packs
they belong to (法人库指标设计文档 for the legal person library, the address rules report for
packs that standardize addresses), with figures computed from the warehouse."""

from __future__ import annotations

from pathlib import Path

import yaml

from docs.docs_support import PACK, all_table_rows, example_workspace, field_value, open_docx, table_rows
from lingshu.core.workspace import init_workspace
from lingshu.core.context import Context
from lingshu.docs import Options, write_documents
from support import write_files

NO_PICTURES = Options(images=False, screenshots=False)


def _edit(pack: Path) -> None:
    """A new source column, a new rule, a new indicator, and the pack moved to the industry domain."""
    spec = yaml.safe_load((pack / "pack.yaml").read_text(encoding="utf-8"))
    spec["domain"] = "industry"
    spec["models"][0]["columns"].append({"name": "registered_on", "title": "登记成立日期", "type": "DATE"})
    (pack / "pack.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    rules = yaml.safe_load((pack / "rules.yaml").read_text(encoding="utf-8"))
    rules["tables"]["dwd.example_enterprise"].append(
        {"id": "capital_positive", "kind": "expression", "expr": "capital_wan > 0", "description": "注册资本为正数"})
    (pack / "rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    ind = yaml.safe_load((pack / "indicators.yaml").read_text(encoding="utf-8"))
    ind["indicators"].append({"id": "capital_max", "name": "最大注册资本", "definition": "在册企业注册资本最大值。",
                              "model": "dwd.example_enterprise", "measure": {"agg": "max", "column": "capital_wan"},
                              "dimensions": ["town"], "unit": "万元", "owner": "产业发展处"})
    (pack / "indicators.yaml").write_text(yaml.safe_dump(ind, allow_unicode=True), encoding="utf-8")


def test_a_changed_pack_changes_its_documents(tmp_path: Path) -> None:
    ctx = example_workspace(tmp_path, edit=_edit)
    try:
        out = tmp_path / "out"
        kinds = ["data_dictionary", "quality", "indicator_list", "legal_person_indicators"]
        written = {w.kind: out / w.files["docx"] for w in
                   write_documents(ctx, PACK, out, ["docx"], kinds, options=NO_PICTURES)}
        columns = all_table_rows(open_docx(written["data_dictionary"]), "序号", "字段名")
        assert any(r[1] == "registered_on" and r[2] == "登记成立日期" for r in columns)
        rules = all_table_rows(open_docx(written["quality"]), "规则", "说明")
        assert any(r[0] == "capital_positive" and r[1] == "注册资本为正数" for r in rules)
        indicators = {r[0]: r for r in table_rows(open_docx(written["indicator_list"]), "指标编号", "指标名称")}
        assert indicators["capital_max"][1] == "最大注册资本"
        # The industry pack keyed by 统一社会信用代码 is a legal person library: its design document
        # reports field completeness computed from the table.
        legal = open_docx(written["legal_person_indicators"])
        filled = {r[0]: r for r in table_rows(legal, "字段", "中文名")}
        expected = ctx.engine.scalar("SELECT count(capital_wan) FROM dwd.example_enterprise")
        assert filled["capital_wan"][2] == str(expected)
        assert table_rows(legal, "法人库表", "中文名")[0][2] == str(ctx.engine.row_count("dwd", "example_enterprise"))
    finally:
        ctx.close()


ADDRESS_PACK = {
    "pack.yaml": """
        id: address_demo
        name: 测试：地址标准化
        domain: governance
        department: 测试部门
        sources:
          - name: places
            kind: csv
            path: data/places.csv
            target: ods.address_demo
            columns:
              - {name: place_id, required: true}
              - {name: address, title: 地址}
        models:
          - name: dwd.address_demo
            unique_key: [place_id]
        """,
    "models/dwd/address_demo.sql": """
        SELECT place_id, address_standardize(address) AS address_std FROM ods.address_demo
        """,
    "data/places.csv": """
        place_id,address
        1,上海市浦东新区南汇新城镇环湖西二路888号
        2,临港新城申港大道200弄3号楼5楼501房间
        3,书院镇丽正路一百二十三号（近地铁站）13800138000
        4,不知道在哪里
        5,
        """,
}


def test_address_rules_report_for_packs_that_standardize_addresses(tmp_path: Path) -> None:
    write_files(tmp_path / "packs" / "address_demo", ADDRESS_PACK)
    ws = init_workspace(tmp_path / "ws", name="addr", pack_paths=[str(tmp_path / "packs")])
    ws.config.builtin_packs = False
    with Context(ws) as ctx:
        assert ctx.run("address_demo").status == "success"
        written = write_documents(ctx, "address_demo", tmp_path / "out", ["docx", "html"], ["address_rules"],
                                  options=NO_PICTURES)
        d = open_docx(tmp_path / "out" / written[0].files["docx"])
        summary = table_rows(d, "总行数", "有地址")[0]
        filled, placed = ctx.engine.query(
            "SELECT count(address), count_if(is_valid_address(address)) FROM ods.address_demo").to_pylist()[0].values()
        assert summary[:3] == ["5", str(int(filled)), str(int(placed))]
        fired = {r[0]: r for r in table_rows(d, "规则", "说明", "触发行数")}
        assert "drop_city_prefix" in fired and "strip_phone_noise" in fired
        assert field_value(d, "场景包") == "测试：地址标准化（address_demo）"
