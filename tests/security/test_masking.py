"""Masking outputs per kind, on real Arrow arrays."""

from __future__ import annotations

import pyarrow as pa
import pytest

from lingshu.security import MASKERS, SecurityError, mask, masker


def _m(kind: str, values: list[str | None]) -> list[str | None]:
    return mask(pa.array(values), kind).to_pylist()


def test_id_number() -> None:
    assert _m("id", ["11010519491231002X", "110105491231002", None]) == [
        "110***********002X", "110********1002", None]


def test_phone() -> None:
    assert _m("phone", ["13812341234", "+86 138-1234-1234", "8613812341234", "021-68881234", "110"]) == [
        "138****1234", "138****1234", "138****1234", "021*****1234", "***"]


def test_name_keeps_surname() -> None:
    assert _m("name", ["张三", "张三丰", "欧阳娜娜", "欧阳修", "司马", " 王五 ", "李"]) == [
        "张*", "张**", "欧阳**", "欧阳*", "司*", "王*", "*"]


def test_address_keeps_road_level() -> None:
    assert _m("address", [
        "上海市浦东新区环湖西二路888号1号楼101室",
        "上海市浦东新区潍坊新村街道崂山路100弄5号",
        "上海市浦东新区世纪大道100号",
        "上海市浦东新区临港新片区某某小区5号楼",
    ]) == [
        "上海市浦东新区环湖西二路****",
        "上海市浦东新区潍坊新村街道崂山路****",
        "上海市浦东新区世纪大道****",
        "上海市浦东新*************",
    ]


def test_uscc_bank_card_email_full() -> None:
    assert _m("uscc", ["91310115MA1K3YJ12X"]) == ["91310115********2X"]
    assert _m("bank_card", ["6228480402564890018"]) == ["622848*********0018"]
    assert _m("email", ["zhangsan@example.com", "a@b.cn", "no-at-sign"]) == [
        "z***@example.com", "a***@b.cn", "n*********"]
    assert _m("full", ["abc", "", None]) == ["***", "", None]


@pytest.mark.parametrize(("spec", "expected"), [
    ("keep:2:1", "ab****g"), ("keep:0:3", "****efg"), ("keep:3:0", "abc****"), ("keep:4:3", "*******"),
])
def test_keep_first_last(spec: str, expected: str) -> None:
    assert _m(spec, ["abcdefg"]) == [expected]


def test_characters_not_bytes_and_non_text_input() -> None:
    assert _m("keep:1:1", ["临港新片区"]) == ["临***区"]
    assert masker("id")(pa.chunked_array([[12345678901]])).to_pylist() == ["123****8901"]


def test_registry_and_errors() -> None:
    assert {"id", "phone", "name", "address", "uscc", "bank_card", "email", "full"} <= set(MASKERS)
    with pytest.raises(Exception, match="unknown masking kind 'passport'"):
        masker("passport")
    with pytest.raises(SecurityError, match="keep:F:L"):
        masker("keep:3")


def test_empty_input() -> None:
    assert _m("name", []) == []
    assert _m("keep:1:1", []) == []


def test_every_kind_is_documented() -> None:
    import lingshu.security.masking as masking_module

    for name in MASKERS:
        assert f"``{name}``" in (masking_module.__doc__ or ""), f"masking kind {name} is undocumented"
