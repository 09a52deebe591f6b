"""Request parameters -> a parameterized query shape. Never string concatenation.

Column filters use ``column=op.value`` (``town=eq.泥城镇``, ``amount=gte.10``,
``town=in.泥城镇,书院镇``, ``built=between.2019-01-01,2020-12-31``, ``name=like.%数据%``,
``closed_at=is.null``). Column names are checked against the dataset; values are parsed into the
column's type and travel as bound parameters (``?``), so text from a request never becomes SQL.
Because values are parameters, the SQL depends only on the query's *shape*, which is compiled
once and cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlglot import exp

from lingshu.core.registry import Registry
from lingshu.datasets.catalog import Dataset, DatasetColumn
from lingshu.datasets.errors import DatasetError

RESERVED = {"select", "order", "limit", "after", "count", "format", "bbox", "near", "encoding"}
INTEGER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
NUMBER = ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "NUMERIC")


def bad(message_cn: str, message_en: str, hint: str) -> DatasetError:
    return DatasetError(f"{message_cn} / {message_en}", hint=hint)


def col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def param() -> exp.Placeholder:
    return exp.Placeholder()


def parse_value(column: DatasetColumn, text: str) -> Any:
    """The value as the column's Python type; one that does not parse is a 400, not a 500."""
    kind = column.type.upper()
    try:
        if kind.startswith(INTEGER):
            return int(text)
        if kind.startswith(NUMBER):
            return Decimal(text) if kind.startswith(("DECIMAL", "NUMERIC")) else float(text)
        if kind == "DATE":
            return dt.date.fromisoformat(text)
        if kind.startswith("TIMESTAMP"):
            return dt.datetime.fromisoformat(text)
        if kind == "BOOLEAN":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
    except (ValueError, InvalidOperation, OverflowError):
        raise bad(f"字段 {column.name} 的取值 {text!r} 不是 {column.type}",
                  f"value {text!r} is not a valid {column.type} for {column.name}",
                  "dates as 2024-05-01, timestamps as 2024-05-01T08:00:00, numbers without units") from None
    if kind.startswith(("VARCHAR", "TEXT", "STRING")) or not kind:
        return text
    raise bad(f"字段 {column.name}（{column.type}）不支持筛选", f"column {column.name} ({column.type}) cannot be filtered",
              "filter on another column")


class Operator:
    """How one operator parses its values and spells its condition with ``n`` placeholders."""

    def __init__(self, values: Callable[[DatasetColumn, str], list[Any]],
                 condition: Callable[[exp.Column, int], exp.Expression], variant: Callable[[str], str] | None = None):
        self.values = values
        self.condition = condition
        self.variant = variant or (lambda raw: "")  # shape detail that is not a value (is.null)


def _one(column: DatasetColumn, text: str) -> list[Any]:
    return [parse_value(column, text)]


def _many(column: DatasetColumn, text: str) -> list[Any]:
    values = [parse_value(column, v) for v in text.split(",") if v != ""]
    if not values:
        raise bad("in 需要至少一个值", "in needs at least one value", "write column=in.a,b")
    return values


def _two(column: DatasetColumn, text: str) -> list[Any]:
    parts = [v for v in text.split(",") if v != ""]
    if len(parts) != 2:
        raise bad("between 需要两个值", "between needs two values", "write column=between.low,high")
    return [parse_value(column, p) for p in parts]


def _null_check(column: DatasetColumn, text: str) -> list[Any]:
    if text not in ("null", "notnull"):
        raise bad("is 只能是 null 或 notnull", "is takes null or notnull", "write column=is.null or column=is.notnull")
    return []


def _compare(node: type[exp.Binary]) -> Operator:
    return Operator(_one, lambda c, n: node(this=c, expression=param()))


OPERATORS: Registry[Operator] = Registry("filter operator")
OPERATORS.add("eq", _compare(exp.EQ))
OPERATORS.add("ne", _compare(exp.NEQ))
OPERATORS.add("gt", _compare(exp.GT))
OPERATORS.add("gte", _compare(exp.GTE))
OPERATORS.add("lt", _compare(exp.LT))
OPERATORS.add("lte", _compare(exp.LTE))
OPERATORS.add("in", Operator(_many, lambda c, n: exp.In(this=c, expressions=[param() for _ in range(n)])))
OPERATORS.add("between", Operator(_two, lambda c, n: exp.Between(this=c, low=param(), high=param())))
OPERATORS.add("like", Operator(lambda m, v: [v], lambda c, n: exp.Like(this=exp.cast(c, "VARCHAR"), expression=param())))
OPERATORS.add("is", Operator(
    _null_check,
    lambda c, n: exp.Is(this=c, expression=exp.Null()),
    variant=lambda raw: raw,
))
NOT_NULL = Operator(_null_check, lambda c, n: exp.Not(this=exp.Is(this=c, expression=exp.Null())))


def operator_for(op: str, variant: str) -> Operator:
    return NOT_NULL if op == "is" and variant == "notnull" else OPERATORS.get(op)


def parse_filter(dataset: Dataset, name: str, raw: str, visible: set[str]) -> tuple[tuple[str, str, int, str], list[Any]]:
    """One ``column=op.value`` parameter -> its shape item and its bound values."""
    meta = dataset.column(name)
    if meta is None or name not in visible:
        raise bad(f"没有可筛选的字段 {name!r}", f"no filterable column {name!r}",
                  f"columns: {', '.join(sorted(visible))}")
    op, sep, value = raw.partition(".")
    if not sep:
        op, value = "eq", raw  # plain column=value means equality
    if op not in OPERATORS:
        raise bad(f"不支持的运算符 {op!r}", f"unknown operator {op!r}", f"operators: {', '.join(OPERATORS)}")
    operator = OPERATORS.get(op)
    values = operator.values(meta, value)
    return (name, op, len(values), operator.variant(value)), values


def floats(text: str, count: int, what: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != count or any(v != v or v in (float("inf"), float("-inf")) for v in values):
        raise bad(f"{what} 参数格式错误", f"malformed {what}", f"{what} takes {count} comma-separated numbers")
    return values


def envelope(box: tuple[float, ...] | list[float]) -> exp.Expression:
    """Grant extents are trusted numbers from the state store: literals are fine here."""
    return exp.func("ST_MakeEnvelope", *(exp.Literal.number(v) for v in box))


def bbox_condition(geom: str) -> exp.Expression:
    return exp.func("ST_Intersects", col(geom), exp.func("ST_MakeEnvelope", param(), param(), param(), param()))


def near_condition(geom: str) -> exp.Expression:
    """Bound as (latitude, longitude, metres): ST_Distance_Sphere takes [lat, lng] axis order."""
    centre = exp.func("ST_Centroid", col(geom))
    distance = exp.func("ST_Distance_Sphere", exp.func("ST_Point", param(), param()),
                        exp.func("ST_Point", exp.func("ST_Y", centre), exp.func("ST_X", centre)))
    return exp.LTE(this=distance, expression=param())
