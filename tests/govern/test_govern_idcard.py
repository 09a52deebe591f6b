"""GB 11643 ID numbers: STANDARDS.md section 1 vectors, properties, SQL = Python."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingshu.govern.checksums import id_check_char
from lingshu.govern.idcard import check_id, normalize_id, upgrade_15


@pytest.mark.parametrize("value, born, sex", [
    ("11010519491231002X", date(1949, 12, 31), "F"),
    ("440524188001010014", date(1880, 1, 1), "M"),
    ("11010219840406970X", date(1984, 4, 6), "F"),
])
def test_standard_valid_vectors(value: str, born: date, sex: str) -> None:
    v = check_id(value)
    assert v.valid, v.errors
    assert v.parts["birth_date"] == born and v.parts["sex"] == sex


def test_wrong_check_char_says_what_it_should_be() -> None:
    v = check_id("110105194912310021")
    assert not v.valid and "should be X" in v.errors[0]


def test_15_digit_upgrade() -> None:
    assert upgrade_15("110105491231002") == "11010519491231002X"
    v = check_id("110105491231002")
    assert v.valid and v.normalized == "11010519491231002X" and "upgrade_15_to_18" in v.rules


def test_centenarian_sequence_gets_18xx() -> None:
    assert normalize_id("110105051231996")[6:10] == "1805"


def test_lowercase_x_and_fullwidth_are_normalised() -> None:
    assert check_id("11010519491231002x").normalized == "11010519491231002X"
    assert check_id("１１０１０５１９４９１２３１００２Ｘ").valid


def test_retired_shanghai_codes_accepted_unknown_rejected() -> None:
    for region in ("310108", "310230", "310115"):
        body = region + "19800101001"
        assert check_id(body + id_check_char(body)).valid
    body = "310199" + "19800101001"
    assert not check_id(body + id_check_char(body)).valid


def test_birth_date_real_and_not_future() -> None:
    body = "310115" + "19800230001"
    assert "not a real date" in " ".join(check_id(body + id_check_char(body)).errors)
    body = "310115" + "20990101001"
    v = check_id(body + id_check_char(body), today=date(2024, 1, 1))
    assert "future" in " ".join(v.errors)


def test_sql_matches_vectors(sql_col) -> None:  # noqa: ANN001
    vals = ["11010519491231002X", "440524188001010014", "11010219840406970X", "110105194912310021",
            "110105491231002", "11010519491231002x", None, "abc"]
    assert sql_col("is_valid_id", vals) == [True, True, True, False, True, True, None, False]
    assert sql_col("id_normalize", vals)[4] == "11010519491231002X"
    assert sql_col("id_birth_date", vals)[:2] == [date(1949, 12, 31), date(1880, 1, 1)]
    assert sql_col("id_sex", vals)[:3] == ["F", "M", "F"]


digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)
regions = st.sampled_from(["110105", "310108", "310115", "440524", "310230", "650102"])
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
sequences = st.integers(0, 999).map(lambda n: f"{n:03d}")


@given(digits17)
def test_any_17_digits_plus_check_char_passes_the_check(body: str) -> None:
    v = check_id(body + id_check_char(body))
    assert not any("check character" in e for e in v.errors)


@given(regions, births, sequences)
def test_plausible_id_validates(region: str, born: date, seq: str) -> None:
    body = region + born.strftime("%Y%m%d") + seq
    assert check_id(body + id_check_char(body)).valid


@given(digits17, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_fails(body: str, pos: int, ch: str) -> None:
    good = body + id_check_char(body)
    if good[pos] == ch:
        return
    bad = good[:pos] + ch + good[pos + 1:]
    assert any("check character" in e for e in check_id(bad).errors) or check_id(bad).normalized is None


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(regions.flatmap(lambda r: births.flatmap(lambda b: sequences.map(
    lambda s: r + b.strftime("%Y%m%d") + s))).map(lambda b: b + id_check_char(b)),
    st.text(alphabet="0123456789Xx ", min_size=15, max_size=18), st.none()), max_size=40))
def test_sql_agrees_with_python(sql_col, values: list[str | None]) -> None:  # noqa: ANN001
    py = [None if v is None else check_id(v).valid for v in values]
    assert sql_col("is_valid_id", values) == py
    assert sql_col("id_normalize", values) == [normalize_id(v) for v in values]
