"""Shanghai addresses (section 10): components, numerals, legacy names, rules fired, matching."""

from __future__ import annotations

import pyarrow as pa
import pytest

from lingshu.govern.address import check_address, parse_addresses, standardize_address
from lingshu.govern.address_match import match_addresses
from lingshu.govern.numerals import convert_address_numerals


def test_lane_number_is_a_building_number() -> None:
    p = standardize_address("浦东新区X路12弄3号401室".replace("X", "锦绣"))
    assert (p["road"], p["lane"], p["number"], p["room"], p["number_kind"]) == ("锦绣路", "12", "3", "401", "楼号")
    assert standardize_address("浦东新区锦绣路3号")["number_kind"] == "门牌号"


def test_sub_lane() -> None:
    p = standardize_address("三林路123弄4支弄5号")
    assert (p["lane"], p["sub_lane"], p["number"]) == ("123", "4", "5")


def test_shorthand_building_unit_room() -> None:
    p = standardize_address("泥城镇云汉路12-3-1001")
    assert (p["building"], p["unit"], p["room"]) == ("12", "3", "1001")
    assert "shorthand_building_unit_room" in p["rules"]


def test_landmark_phone_and_legacy_name() -> None:
    p = standardize_address("上海市浦东新区临港新城环湖西二路888号(滴水湖地铁站旁)13812345678")
    assert p["town"] == "南汇新城镇" and p["landmark"] == "滴水湖地铁站旁" and p["noise"] == "13812345678"
    assert p["zone"] == "临港新片区"
    assert p["standard"] == "浦东新区南汇新城镇环湖西二路888号"
    assert {"legacy_name", "strip_landmark", "strip_phone_noise"} <= set(p["rules"])


def test_district_inferred_from_lingang_town() -> None:
    p = standardize_address("书院镇丽正路1号")
    assert p["district"] == "浦东新区" and "infer_district" in p["rules"]


def test_short_district_before_a_lingang_town_and_the_island_town() -> None:
    p = standardize_address("浦东小洋山港区一路424号")  # 小洋山 has no 镇: it must not join the road
    assert (p["district"], p["town"], p["road"], p["number"]) == ("浦东新区", "小洋山", "港区一路", "424")
    assert "district_short_name" in p["rules"]
    assert standardize_address("奉贤四团镇川南奉公路890号")["standard"] == "奉贤区四团镇川南奉公路890号"
    assert standardize_address("浦东大道100号")["road"] == "浦东大道"  # a road, not a short district


@pytest.mark.parametrize("raw, expected", [
    ("二〇一室", "201室"), ("二十三号", "23号"), ("一百零五室", "105室"), ("十二层", "12层"),
    ("三林路三号", "三林路3号"), ("浦东南路一二三弄", "浦东南路123弄"), ("环湖西二路八十八号", "环湖西二路88号"),
    ("三林路", "三林路"), ("五单元", "5单元"), ("四支弄", "4支弄"), ("七幢", "7幢"), ("六栋", "6栋"),
])
def test_numerals_only_before_units(raw: str, expected: str) -> None:
    assert convert_address_numerals(raw) == expected


def test_fullwidth_digits_and_letters_folded() -> None:
    assert standardize_address("浦东新区锦绣路１２３号Ａ座")["standard"] == "浦东新区锦绣路123号A幢"


def test_vectorized_parse_equals_single_value_parse() -> None:
    raws = ["三林路123弄4支弄5号二〇一室", None, "泥城镇云汉路12-3-1001", "", "奉贤区青村镇南奉公路一百零五号5号楼十二层"]
    arr = parse_addresses(pa.array(raws)).to_pylist()
    assert arr == [standardize_address(r) for r in raws]


def test_sql_udf(sql_col) -> None:  # noqa: ANN001
    assert sql_col("address_standardize", ["临港新城环湖西二路888号", None]) == ["浦东新区南汇新城镇环湖西二路888号", None]
    assert sql_col("is_valid_address", ["环湖西二路888号", "滴水湖旁边", None]) == [True, False, None]
    assert sql_col("address_numerals", ["二〇一室"]) == ["201室"]


def test_check_address_verdict() -> None:
    assert check_address("环湖西二路888号").valid
    assert not check_address("滴水湖旁边").valid


BASE = pa.table({
    "address": ["上海市浦东新区南汇新城镇环湖西二路888号", "浦东新区泥城镇云汉路100号", "浦东新区三林路123弄4支弄5号",
                "浦东新区三林路5号", "浦东新区南汇新城镇环湖西二路"],
    "lng": [121.93, 121.82, 121.51, 121.50, 121.92], "lat": [30.90, 30.91, 31.15, 31.14, 30.89],
    "aid": ["A1", "A2", "A3", "A4", "A5"],
})


def test_matcher_geocodes_and_flags() -> None:
    out = match_addresses(["临港新城环湖西二路888号(地铁站)13812345678", "环湖西二路888号1201室", "泥城镇云汗路100号",
                           "三林路123弄4支弄5号二〇一室", "人民路1号", None], BASE, id_col="aid").to_pylist()
    assert [r["match_id"] for r in out] == ["A1", "A1", "A2", "A3", None, None]
    assert out[0]["score"] == 1.0 and out[0]["status"] == "matched" and out[0]["lng"] == 121.93
    assert out[4]["status"] == "unmatched"
    assert "legacy_name" in out[0]["rules"]


def test_matcher_prefers_more_specific_base_rows_and_respects_lanes() -> None:
    out = match_addresses(["三林路5号", "三林路123弄4支弄5号"], BASE, id_col="aid").to_pylist()
    assert [r["match_id"] for r in out] == ["A4", "A3"]


def test_every_step_has_a_description_in_the_address_rules_report() -> None:
    from lingshu.docs.builders.address import RULE_TEXT
    from lingshu.govern.address import STEPS

    assert {s.name for s in STEPS} - set(RULE_TEXT) == set()
