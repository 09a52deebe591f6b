"""GB 32100 unified social credit codes: section 2 vectors, properties, SQL = Python."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingshu.govern.checksums import USCC_ALPHABET, org_code_check_char, uscc_check_char
from lingshu.govern.uscc import check_uscc


@pytest.mark.parametrize("code", ["914403001922038216", "9144030071526726XG"])
def test_valid_vectors(code: str) -> None:
    assert check_uscc(code).valid


@pytest.mark.parametrize("code, should", [("914403001922038217", "6"), ("91330100799655058C", "B")])
def test_invalid_vectors_name_the_right_check(code: str, should: str) -> None:
    v = check_uscc(code)
    assert not v.valid and f"should be {should}" in v.errors[0]


def test_31_maps_to_0() -> None:
    # Find a body whose weighted sum is 0 mod 31: (31 - 0) % 31 must give '0', not fail.
    body = "0" * 17
    assert uscc_check_char(body) == "0"


def test_embedded_org_code_is_checked() -> None:
    body = "91310115" + "12345678" + "9"  # 9 is the wrong org check for 12345678
    assert org_code_check_char("12345678") != "9"
    v = check_uscc(body + uscc_check_char(body))
    assert not v.valid and "organisation code" in v.errors[0]


def test_lowercase_and_spaces_normalised() -> None:
    assert check_uscc(" 9144030071526726xg ").normalized == "9144030071526726XG"


alpha = st.sampled_from(USCC_ALPHABET)
org_body = st.text(alphabet=USCC_ALPHABET.replace("X", ""), min_size=8, max_size=8)


def _code(head: str, org: str) -> str:
    body = head + org + org_code_check_char(org)
    return body + uscc_check_char(body)


heads = st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8)


@given(heads, org_body)
def test_any_body_with_computed_checks_validates(head: str, org: str) -> None:
    assert check_uscc(_code(head, org)).valid


@given(heads, org_body, st.integers(0, 17), alpha)
def test_any_single_character_change_fails(head: str, org: str, pos: int, ch: str) -> None:
    good = _code(head, org)
    if good[pos] == ch:
        return
    assert not check_uscc(good[:pos] + ch + good[pos + 1:]).valid


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.builds(_code, heads, org_body), st.text(alphabet=USCC_ALPHABET + "IOZ a", max_size=19),
                          st.none()), max_size=40))
def test_sql_agrees_with_python(sql_col, values: list[str | None]) -> None:  # noqa: ANN001
    assert sql_col("is_valid_uscc", values) == [None if v is None else check_uscc(v).valid for v in values]
