"""Phones, Chinese dates, full-width folding: Python reference and SQL agree."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingshu.govern.dates import check_date, parse_cn_date
from lingshu.govern.phone import check_phone
from lingshu.govern.text import fullwidth_to_halfwidth

PHONES = {
    "+86 138-1234-5678": "13812345678", "8613812345678": "13812345678", "0086 13812345678": "13812345678",
    "138 1234 5678": "13812345678", "021-68888888": "021-68888888", "(021)6888-8888": "021-68888888",
    "+86 21 6888 8888": "021-68888888", "68888888": "021-68888888", "021-68888888-123": "021-68888888-123",
    "021 6888 8888转123": "021-68888888-123", "0571-8888888": "0571-8888888", "010 88888888": "010-88888888",
    "4008123123": "4008123123", "１３８１２３４５６７８": "13812345678",
}


@pytest.mark.parametrize("raw, normal", PHONES.items())
def test_phone_normalisation(raw: str, normal: str) -> None:
    assert check_phone(raw).normalized == normal


@pytest.mark.parametrize("raw", ["12345", "12812345678", "1381234567", "abc", "021-1234567"])
def test_phone_invalid(raw: str) -> None:
    assert not check_phone(raw).valid


def test_assumed_area_code_is_reported() -> None:
    assert "assume_area_021" in check_phone("68888888").rules


def test_phone_sql_agrees(sql_col) -> None:  # noqa: ANN001
    raws = [*PHONES, "12345", "12812345678", "abc", None]
    assert sql_col("phone_normalize", raws) == [None if r is None else check_phone(r).normalized for r in raws]
    assert sql_col("is_valid_phone", raws) == [None if r is None else check_phone(r).valid for r in raws]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="0123456789+-() 转#", max_size=20), st.none()), max_size=30))
def test_phone_sql_agrees_generated(sql_col, raws: list[str | None]) -> None:  # noqa: ANN001
    assert sql_col("phone_normalize", raws) == [None if r is None else check_phone(r).normalized for r in raws]


@pytest.mark.parametrize("raw", ["2023年5月1日", "2023.5.1", "2023/5/1", "20230501", "2023-05-01", "45047",
                                 "45047.75", "２０２３年５月１日", "2023-05-01 08:30:00", " 2023年 5月 1日 "])
def test_dates_parse_to_may_first(raw: str) -> None:
    assert parse_cn_date(raw) == date(2023, 5, 1)


@pytest.mark.parametrize("raw", ["2023-02-30", "2023", "2023年13月1日", "abc", "202305011"])
def test_dates_rejected(raw: str) -> None:
    assert parse_cn_date(raw) is None and not check_date(raw).valid


def test_date_sql_agrees(sql_col) -> None:  # noqa: ANN001
    raws = ["2023年5月1日", "2023.5.1", "2023/5/1", "20230501", "45047", "2023-02-30", "2024-02-29", "2023",
            "10000", "99999", None, "x"]
    assert sql_col("parse_cn_date", raws) == [parse_cn_date(r) for r in raws]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)).flatmap(
    lambda d: st.sampled_from([f"{d.year}年{d.month}月{d.day}日", f"{d.year}.{d.month}.{d.day}",
                               d.strftime("%Y%m%d"), f"{d.year}/{d.month:02d}/{d.day}"])),
    st.text(alphabet="0123456789年月日./-", max_size=12)), max_size=30))
def test_date_sql_agrees_generated(sql_col, raws: list[str]) -> None:  # noqa: ANN001
    assert sql_col("parse_cn_date", raws) == [parse_cn_date(r) for r in raws]


def test_fullwidth_to_halfwidth(sql_col) -> None:  # noqa: ANN001
    assert fullwidth_to_halfwidth("ＡＢＣ１２３＋－\u3000ｘ") == "ABC123+- x"
    assert fullwidth_to_halfwidth("浦东、。") == "浦东、。"  # CJK punctuation is not a full-width form
    raws = ["ＡＢＣ１２３＋－\u3000ｘ", "浦东、。", None]
    assert sql_col("fullwidth_to_halfwidth", raws) == [fullwidth_to_halfwidth(r) for r in raws]
