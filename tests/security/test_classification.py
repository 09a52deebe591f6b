"""Classification levels, ColumnPolicy validation and the default suggestions."""

from __future__ import annotations

import pydantic
import pytest

from lingshu.security import ColumnPolicy, Level, suggest_policy
from lingshu.security.classification import dataset_level


def test_levels_are_ordered_with_ids_and_labels() -> None:
    assert Level.PUBLIC < Level.INTERNAL < Level.SENSITIVE < Level.IMPORTANT
    assert sorted([Level.IMPORTANT, Level.PUBLIC, Level.SENSITIVE, Level.INTERNAL]) == list(Level)
    assert max(Level.INTERNAL, Level.IMPORTANT) is Level.IMPORTANT
    assert [lv.value for lv in Level] == ["public", "internal", "sensitive", "important"]
    assert [lv.label for lv in Level] == ["公开", "内部", "敏感", "重要"]
    assert Level.SENSITIVE >= "internal"


def test_policy_accepts_ids_and_chinese_labels() -> None:
    assert ColumnPolicy(level="敏感").level is Level.SENSITIVE
    assert ColumnPolicy(level="important").level is Level.IMPORTANT
    assert ColumnPolicy(level=Level.SENSITIVE).model_dump(mode="json")["level"] == "sensitive"
    with pytest.raises(pydantic.ValidationError, match="secret"):
        ColumnPolicy(level="secret")
    with pytest.raises(pydantic.ValidationError, match="unknown masking kind"):
        ColumnPolicy(mask="passport")
    assert ColumnPolicy(mask="keep:2:2").mask == "keep:2:2"


@pytest.mark.parametrize(("column", "kind", "level", "pi", "mask"), [
    ("x", "id_number", Level.SENSITIVE, True, "id"),
    ("身份证号", None, Level.SENSITIVE, True, "id"),
    ("id_card", None, Level.SENSITIVE, True, "id"),
    ("x", "phone", Level.SENSITIVE, True, "phone"),
    ("联系电话", None, Level.SENSITIVE, True, "phone"),
    ("mobile", None, Level.SENSITIVE, True, "phone"),
    ("x", "person_name", Level.INTERNAL, True, "name"),
    ("姓名", None, Level.INTERNAL, True, "name"),
    ("法定代表人", None, Level.INTERNAL, True, "name"),
    ("x", "uscc", Level.PUBLIC, False, None),
    ("统一社会信用代码", None, Level.PUBLIC, False, None),
    ("企业名称", None, Level.PUBLIC, False, None),
    ("company_name", None, Level.PUBLIC, False, None),
    ("住址", None, Level.INTERNAL, True, "address"),
    ("bank_card_no", None, Level.SENSITIVE, True, "bank_card"),
    ("email", None, Level.INTERNAL, True, "email"),
    ("hotel_count", None, Level.INTERNAL, False, None),
    ("产值", None, Level.INTERNAL, False, None),
])
def test_suggestions(column: str, kind: str | None, level: Level, pi: bool, mask: str | None) -> None:
    policy = suggest_policy(column, kind)
    assert (policy.level, policy.personal_info, policy.mask) == (level, pi, mask)
    assert policy.reason


def test_kind_wins_over_name() -> None:
    assert suggest_policy("姓名", kind="uscc").level is Level.PUBLIC


def test_dataset_level_is_its_highest_column() -> None:
    policies = {"uscc": suggest_policy(kind="uscc"), "id": suggest_policy(kind="id_number")}
    assert dataset_level(policies) is Level.SENSITIVE
    assert dataset_level([]) is Level.PUBLIC
