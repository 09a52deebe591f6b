"""Classification (分级): four ordered levels, a personal-information flag, and default suggestions.

Levels, lowest to highest, with the ids packs use and the labels documents show:

    public 公开 < internal 内部 < sensitive 敏感 < important 重要

A :class:`ColumnPolicy` is what a pack will declare per column (level, PI flag, masking kind,
whether to encrypt and tokenise). :func:`suggest_policy` proposes one from a validator kind or a
column name; the rules are a list of data, first match wins, so adding a kind is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from lingshu.core.errors import LingshuError
from lingshu.security.errors import SecurityError
from lingshu.security.masking import masker


class Level(str, Enum):
    PUBLIC = "public"
    INTERNAL = "internal"
    SENSITIVE = "sensitive"
    IMPORTANT = "important"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, value: Any) -> Level:
        """Accept the id (``sensitive``), the Chinese label (``敏感``) or a Level."""
        if isinstance(value, Level):
            return value
        text = str(value).strip()
        for level in cls:
            if text.lower() == level.value or text == level.label:
                return level
        choices = ", ".join(f"{lv.value} ({lv.label})" for lv in cls)
        raise SecurityError(f"unknown classification level {text!r}", hint=f"use one of: {choices}")

    # str-valued enums would otherwise compare alphabetically ("important" < "internal").
    def __lt__(self, other: object) -> bool:
        return self.rank < Level.parse(other).rank if isinstance(other, Level | str) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.rank <= Level.parse(other).rank if isinstance(other, Level | str) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.rank > Level.parse(other).rank if isinstance(other, Level | str) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.rank >= Level.parse(other).rank if isinstance(other, Level | str) else NotImplemented


_ORDER = [Level.PUBLIC, Level.INTERNAL, Level.SENSITIVE, Level.IMPORTANT]
_LABELS = {Level.PUBLIC: "公开", Level.INTERNAL: "内部", Level.SENSITIVE: "敏感", Level.IMPORTANT: "重要"}


class ColumnPolicy(BaseModel):
    """How one column is classified and protected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level: Level = Level.INTERNAL
    personal_info: bool = False  # 个人信息 under PIPL: its use is logged and minimised
    mask: str | None = None  # a masking spec (see lingshu.security.masking), for viewers below clearance
    encrypt: bool = False  # store SM4-GCM ciphertext instead of the value
    token: str | None = None  # a token normaliser kind: keep a joinable HMAC-SM3 token column
    reason: str = ""  # why the suggestion was made, for review screens

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Level:
        try:
            return Level.parse(value)
        except SecurityError as exc:  # pydantic reports ValueErrors with the field's location
            raise ValueError(str(exc)) from None

    @field_validator("mask")
    @classmethod
    def _mask(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                masker(value)
            except LingshuError as exc:  # the message lists the known kinds
                raise ValueError(str(exc)) from None
        return value


@dataclass(frozen=True)
class _Rule:
    kinds: tuple[str, ...]  # validator kinds (lingshu.govern) that imply this policy
    name_pattern: str  # regex on the column name, case-insensitive
    policy: ColumnPolicy


def _p(level: Level, pi: bool, mask: str | None = None, *, encrypt: bool = False,
       token: str | None = None, reason: str) -> ColumnPolicy:
    return ColumnPolicy(level=level, personal_info=pi, mask=mask, encrypt=encrypt, token=token, reason=reason)


# Order matters: organisation names and codes come before the personal "name" rule, so
# 企业名称 is not taken for a person's name.
RULES: list[_Rule] = [
    _Rule(("id_number", "id_card"), r"身份证|证件号|sfz|id_?(card|no|num|number)|idcard|cert_?no",
          _p(Level.SENSITIVE, True, "id", encrypt=True, token="id_number", reason="identity document number")),
    _Rule(("bank_card",), r"银行卡|卡号|银行账号|bank_?card|card_?no|account_?no",
          _p(Level.SENSITIVE, True, "bank_card", encrypt=True, reason="financial account")),
    _Rule(("uscc",), r"统一社会信用代码|信用代码|uscc|credit_?code|social_?credit",
          _p(Level.PUBLIC, False, reason="registered organisation code, published by law")),
    _Rule(("org_name", "company_name"), r"企业名称|单位名称|机构名称|公司名称|(company|org|ent|corp|enterprise)_?name",
          _p(Level.PUBLIC, False, reason="registered organisation name")),
    _Rule(("phone", "mobile"), r"手机|电话|联系方式|phone|mobile|(^|_)tel(_|$)",
          _p(Level.SENSITIVE, True, "phone", token="phone", reason="personal contact number")),
    _Rule(("email",), r"邮箱|e?mail",
          _p(Level.INTERNAL, True, "email", token="email", reason="personal e-mail address")),
    _Rule(("person_name", "name"), r"姓名|法人|法定代表人|联系人|^name$|person_?name|(full|real|legal|contact)_?name",
          _p(Level.INTERNAL, True, "name", token="name", reason="person's name")),
    _Rule(("address",), r"住址|地址|户籍|居住地|address|addr",
          _p(Level.INTERNAL, True, "address", reason="address, personal when it is a home")),
]

DEFAULT_POLICY = _p(Level.INTERNAL, False, reason="no rule matched: internal by default")


def suggest_policy(column: str | None = None, kind: str | None = None) -> ColumnPolicy:
    """A default policy for a column from its validator ``kind`` (preferred) or its name."""
    if kind:
        for rule in RULES:
            if kind in rule.kinds:
                return rule.policy
    if column:
        for rule in RULES:
            if re.search(rule.name_pattern, column, flags=re.IGNORECASE):
                return rule.policy
    return DEFAULT_POLICY


def dataset_level(policies: dict[str, ColumnPolicy] | list[ColumnPolicy]) -> Level:
    """A dataset is classified at its most protected column (public if it has none)."""
    items = policies.values() if isinstance(policies, dict) else policies
    return max((p.level for p in items), key=lambda lv: lv.rank, default=Level.PUBLIC)
