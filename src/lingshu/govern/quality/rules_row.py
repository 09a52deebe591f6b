"""Row-level rule kinds: each is a predicate on one row, batched into the table's one scan.

NULL values are not a format, range or validity problem: those rules check only present values,
and completeness is the ``not_null`` rule's job (so one missing value is counted once, under 完整性).
For text rules blank text ('' or spaces) is missing too, as ``not_null`` counts it.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from lingshu.govern.kinds import KINDS
from lingshu.govern.quality.registry import Check, RowCheck, Target, rule_kind
from lingshu.govern.quality.rules_table import reference_query
from lingshu.govern.quality.spec import Dimension, RuleSpec
from lingshu.govern.quality.sqltext import check_expression, ident, literal
from lingshu.pack.spec import _check_table_name


def _not_null(column: str) -> str:
    return f"{ident(column)} IS NOT NULL"


def _present(column: str, target: Target) -> str:
    """Not NULL and not blank (the cast is free on text columns and makes it valid on any type).

    ``not_null`` uses the negation of the very same text, so a column checked by several rules
    has one blank test for the engine to share. Numbers and dates are never blank: no cast.
    """
    if target.never_blank(column):
        return _not_null(column)
    # Blank = only space separators (Unicode Zs: ' ', U+3000, U+00A0 ...), exactly what trim()
    # strips (checked over every code point); the anchored regex stops at the first other
    # character, where trim() copied the whole value: half the cost on long text. NULL -> FALSE.
    return f"coalesce(NOT regexp_full_match(CAST({ident(column)} AS VARCHAR), '\\p{{Zs}}*'), FALSE)"


class NotNullRule(RuleSpec):
    kind: Literal["not_null"]
    column: str
    allow_blank: bool = Field(False, description="count '' and whitespace-only text as present")


@rule_kind("not_null", "非空", NotNullRule, Dimension.completeness)
def not_null(rule: NotNullRule, target: Target) -> Check:
    col = ident(rule.column)
    if rule.allow_blank or target.never_blank(rule.column):
        return RowCheck(f"{col} IS NULL")
    # Blank text is as missing as NULL in a register: NULL or blank = not present.
    return RowCheck(f"NOT ({_present(rule.column, target)})")


class PatternRule(RuleSpec):
    kind: Literal["pattern"]
    column: str
    regex: str = Field(description="the whole value must match (RE2 syntax)")

    @field_validator("regex")
    @classmethod
    def _regex(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad regular expression: {exc}") from None
        return value


@rule_kind("pattern", "格式（正则）", PatternRule, Dimension.conformity)
def pattern(rule: PatternRule, target: Target) -> Check:
    col = ident(rule.column)
    return RowCheck(f"NOT regexp_full_match(CAST({col} AS VARCHAR), {literal(rule.regex)})",
                    _present(rule.column, target))


class AllowedValuesRule(RuleSpec):
    kind: Literal["allowed_values"]
    column: str
    values: list[str | int | float | bool] | None = Field(None, description="the allowed values")
    code_table: str | None = Field(None, description="or a warehouse table holding them, e.g. dwd.towns")
    code_column: str | None = Field(None, description="its column (default: the same name)")

    @model_validator(mode="after")
    def _one_source(self) -> AllowedValuesRule:
        if (self.values is None) == (self.code_table is None):
            raise ValueError("give either 'values' (a list) or 'code_table' (a table name)")
        if self.code_table:
            _check_table_name(self.code_table)
        if self.values is not None and not self.values:
            raise ValueError("'values' is empty: list the allowed values")
        return self


@rule_kind("allowed_values", "值域（枚举/码表）", AllowedValuesRule, Dimension.conformity)
def allowed_values(rule: AllowedValuesRule, target: Target) -> Check:
    if rule.code_table:
        return reference_query(rule, target, [rule.column], rule.code_table, [rule.code_column or rule.column])
    items = ", ".join(literal(v) for v in rule.values or [])
    return RowCheck(f"{ident(rule.column)} NOT IN ({items})", _present(rule.column, target))


Bound = Any  # a number, text, a YAML date, or "today"/"now"
# Bounds that mean "at check time"; anything else is a literal.
MOVING_BOUNDS = {"today": "current_date", "now": "localtimestamp"}


def _bound(value: Any) -> str:
    if isinstance(value, str) and value in MOVING_BOUNDS:
        return MOVING_BOUNDS[value]
    return literal(value)


class RangeRule(RuleSpec):
    kind: Literal["range"]
    column: str
    min: Bound | None = Field(None, description="smallest allowed value (inclusive); 'today'/'now' allowed")
    max: Bound | None = Field(None, description="largest allowed value (inclusive)")

    @model_validator(mode="after")
    def _bounds(self) -> RangeRule:
        if self.min is None and self.max is None:
            raise ValueError("give 'min', 'max' or both")
        for bound in (self.min, self.max):
            if bound is not None:
                _bound(bound)  # raises ValueError for lists, mappings, NaN
        return self


@rule_kind("range", "取值范围", RangeRule, Dimension.accuracy)
def value_range(rule: RangeRule, target: Target) -> Check:
    col = ident(rule.column)
    outside = [f"{col} < {_bound(rule.min)}" if rule.min is not None else None,
               f"{col} > {_bound(rule.max)}" if rule.max is not None else None]
    return RowCheck(" OR ".join(p for p in outside if p), _not_null(rule.column))


class LengthRule(RuleSpec):
    kind: Literal["length"]
    column: str
    min: int | None = Field(None, ge=0, description="fewest characters")
    max: int | None = Field(None, ge=0, description="most characters")

    @model_validator(mode="after")
    def _bounds(self) -> LengthRule:
        if self.min is None and self.max is None:
            raise ValueError("give 'min', 'max' or both (equal for a fixed length)")
        return self


@rule_kind("length", "长度", LengthRule, Dimension.conformity)
def length(rule: LengthRule, target: Target) -> Check:
    n = f"length(CAST({ident(rule.column)} AS VARCHAR))"  # characters, not bytes
    outside = [f"{n} < {rule.min}" if rule.min is not None else None,
               f"{n} > {rule.max}" if rule.max is not None else None]
    return RowCheck(" OR ".join(p for p in outside if p), _present(rule.column, target))


class ValidatorRule(RuleSpec):
    kind: Literal["validator"]
    column: str
    validator: str = Field(description="a validator kind: id, uscc, gb28181, project-code, phone, date, ...")

    @field_validator("validator")
    @classmethod
    def _known(cls, value: str) -> str:
        return KINDS.known(value)


@rule_kind("validator", "校验器（编码/校验位）", ValidatorRule, Dimension.conformity)
def validator(rule: ValidatorRule, target: Target) -> Check:
    col = ident(rule.column)
    predicate = KINDS.get(rule.validator).predicate_sql(f"CAST({col} AS VARCHAR)")
    # A predicate yielding NULL for a non-NULL value could not read it: that is invalid too.
    return RowCheck(f"NOT coalesce({predicate}, FALSE)", _present(rule.column, target))


class ExpressionRule(RuleSpec):
    kind: Literal["expression"]
    expr: str = Field(description="SQL condition every row must meet, e.g. 'end_date >= start_date'")

    @field_validator("expr")
    @classmethod
    def _expr(cls, value: str) -> str:
        return check_expression(value)

    def default_id(self) -> str:
        return "expression"


@rule_kind("expression", "跨字段表达式", ExpressionRule, Dimension.consistency)
def expression(rule: ExpressionRule, target: Target) -> Check:
    # Rows where the condition is unknown (an input is NULL) are not checked: not_null covers them.
    return RowCheck(f"({rule.expr}) IS FALSE", f"({rule.expr}) IS NOT NULL")
