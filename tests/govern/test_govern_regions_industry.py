"""GB/T 2260 Shanghai codes, the Lingang functional zone, GB/T 4754-2017 (section 5)."""

from __future__ import annotations

import pytest

from lingshu.govern.industry import check_industry, table
from lingshu.govern.regions import lingang, shanghai_regions, zone_of_town

CURRENT = {"310101": "黄浦区", "310104": "徐汇区", "310105": "长宁区", "310106": "静安区", "310107": "普陀区",
           "310109": "虹口区", "310110": "杨浦区", "310112": "闵行区", "310113": "宝山区", "310114": "嘉定区",
           "310115": "浦东新区", "310116": "金山区", "310117": "松江区", "310118": "青浦区", "310120": "奉贤区",
           "310151": "崇明区"}


def test_shanghai_table_has_every_current_district_and_the_retired_ones() -> None:
    regions = shanghai_regions()
    assert {c: regions[c].name for c in CURRENT} == CURRENT
    assert regions["310108"].status == "retired" and regions["310230"].status == "retired"
    assert regions["310000"].name == "上海市"


def test_region_sql(sql_col) -> None:  # noqa: ANN001
    assert sql_col("region_name", ["310108", "310115", "440524"]) == ["闸北区", "浦东新区", None]
    assert sql_col("region_is_retired", ["310108", "310115"]) == [True, False]
    assert sql_col("region_code_plausible", ["310230", "310199", "440524", "990000"]) == [True, False, True, False]


@pytest.mark.parametrize("town", ["南汇新城镇", "泥城镇", "书院镇", "万祥镇", "大团镇", "海湾镇", "奉城镇", "金汇镇",
                                  "青村镇", "四团镇", "小洋山", "临港新城"])
def test_lingang_towns_are_a_functional_zone(town: str) -> None:
    assert zone_of_town(town) == "临港新片区"


def test_lingang_members_by_district(sql_col) -> None:  # noqa: ANN001
    by = {m.town: m.district_code for m in lingang().members}
    assert all(by[t] == "310115" for t in ("南汇新城镇", "泥城镇", "书院镇", "万祥镇", "大团镇"))
    assert all(by[t] == "310120" for t in ("海湾镇", "奉城镇", "金汇镇", "青村镇", "四团镇"))
    assert sql_col("lingang_town", ["临港新城", "泥城", "徐家汇"]) == ["南汇新城镇", "泥城镇", None]
    assert sql_col("functional_zone", ["书院镇", "徐家汇"]) == ["临港新片区", None]


def test_industry_table_covers_all_sections_and_divisions() -> None:
    t = table()
    assert sorted(c for c, r in t.items() if r["level"] == "门类") == list("ABCDEFGHIJKLMNOPQRST")
    assert len([c for c, r in t.items() if r["level"] == "大类"]) == 97


@pytest.mark.parametrize("code, section, name", [
    ("I63", "I", "电信、广播电视和卫星传输服务"), ("I64", "I", "互联网和相关服务"), ("6450", "I", "互联网数据服务"),
    ("I65", "I", "软件和信息技术服务业"), ("6513", "I", "应用软件开发"), ("6520", "I", "集成电路设计"),
    ("6532", "I", "物联网技术服务"), ("6550", "I", "信息处理和存储支持服务"), ("C3973", "C", "集成电路制造"),
    ("C3612", "C", "新能源车整车制造"), ("M7320", "M", "工程和技术研究和试验发展"), ("E47", "E", "房屋建筑业"),
])
def test_digital_economy_codes(code: str, section: str, name: str) -> None:
    v = check_industry(code)
    assert v.valid and v.parts["section"] == section and v.parts["name"] == name


def test_industry_hierarchy_is_prefixes() -> None:
    assert check_industry("6513").parts["hierarchy"] == ["I", "65", "651", "6513"]


def test_industry_errors_and_unknown(sql_col) -> None:  # noqa: ANN001
    assert not check_industry("A3973").valid  # 39 is in 门类 C
    assert not check_industry("98").valid
    assert check_industry("6999").parts["in_table"] is False
    assert sql_col("is_valid_industry", ["C3973", "A3973", "6999", "98", "I", None]) == [True, False, None, False,
                                                                                         True, None]
    assert sql_col("industry_section", ["3973", "I65"]) == ["C", "I"]
