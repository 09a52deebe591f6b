"""Request parameters -> SQLGlot conditions. Never string concatenation.

Column filters use ``column=op.value`` (``town=eq.泥城镇``, ``amount=gte.10``,
``town=in.泥城镇,书院镇``, ``built=between.2019-01-01,2020-12-31``, ``name=like.%数据%``,
``closed_at=is.null``). Column names are checked against the dataset, values are parsed into the
column's type and become typed literals, so no text from a request ever reaches SQL unparsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

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


def parse_value(column: DatasetColumn, text: str) -> exp.Expression:
    """A literal of the column's type; a value that does not parse is a 400, not a 500."""
    kind = column.type.upper()
    try:
        if kind.startswith(INTEGER):
            return exp.Literal.number(int(text))
        if kind.startswith(NUMBER):
            return exp.Literal.number(str(Decimal(text)))
        if kind == "DATE":
            return exp.cast(exp.Literal.string(dt.date.fromisoformat(text).isoformat()), "DATE")
        if kind.startswith("TIMESTAMP"):
            return exp.cast(exp.Literal.string(dt.datetime.fromisoformat(text).isoformat(sep=" ")), "TIMESTAMP")
        if kind == "BOOLEAN":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return exp.Boolean(this=text.lower() == "true")
    except (ValueError, InvalidOperation):
        raise bad(f"字段 {column.name} 的取值 {text!r} 不是 {column.type}",
                  f"value {text!r} is not a valid {column.type} for {column.name}",
                  "dates as 2024-05-01, timestamps as 2024-05-01T08:00:00, numbers without units") from None
    if kind.startswith(("VARCHAR", "TEXT", "STRING")) or not kind:
        return exp.Literal.string(text)
    raise bad(f"字段 {column.name}（{column.type}）不支持筛选", f"column {column.name} ({column.type}) cannot be filtered",
              "filter on another column")


Op = Callable[[exp.Column, DatasetColumn, str], exp.Expression]
OPERATORS: Registry[Op] = Registry("filter operator")


def _values(text: str) -> list[str]:
    return [v for v in text.split(",") if v != ""]


OPERATORS.add("eq", lambda c, m, v: exp.EQ(this=c, expression=parse_value(m, v)))
OPERATORS.add("ne", lambda c, m, v: exp.NEQ(this=c, expression=parse_value(m, v)))
OPERATORS.add("gt", lambda c, m, v: exp.GT(this=c, expression=parse_value(m, v)))
OPERATORS.add("gte", lambda c, m, v: exp.GTE(this=c, expression=parse_value(m, v)))
OPERATORS.add("lt", lambda c, m, v: exp.LT(this=c, expression=parse_value(m, v)))
OPERATORS.add("lte", lambda c, m, v: exp.LTE(this=c, expression=parse_value(m, v)))
OPERATORS.add("in", lambda c, m, v: exp.In(this=c, expressions=[parse_value(m, x) for x in _values(v)]))
OPERATORS.add("like", lambda c, m, v: exp.Like(this=exp.cast(c, "VARCHAR"), expression=exp.Literal.string(v)))


def _between(c: exp.Column, m: DatasetColumn, v: str) -> exp.Expression:
    parts = _values(v)
    if len(parts) != 2:
        raise bad("between 需要两个值", "between needs two values", "write column=between.low,high")
    return exp.Between(this=c, low=parse_value(m, parts[0]), high=parse_value(m, parts[1]))


def _is(c: exp.Column, m: DatasetColumn, v: str) -> exp.Expression:
    if v == "null":
        return exp.Is(this=c, expression=exp.Null())
    if v == "notnull":
        return exp.Not(this=exp.Is(this=c, expression=exp.Null()))
    raise bad("is 只能是 null 或 notnull", "is takes null or notnull", "write column=is.null or column=is.notnull")


OPERATORS.add("between", _between)
OPERATORS.add("is", _is)


def column_condition(dataset: Dataset, name: str, raw: str, visible: set[str]) -> exp.Expression:
    meta = dataset.column(name)
    if meta is None or name not in visible:
        raise bad(f"没有可筛选的字段 {name!r}", f"no filterable column {name!r}",
                  f"columns: {', '.join(sorted(visible))}")
    op, sep, value = raw.partition(".")
    if not sep:
        op, value = "eq", raw  # plain column=value means equality
    if op not in OPERATORS:
        raise bad(f"不支持的运算符 {op!r}", f"unknown operator {op!r}", f"operators: {', '.join(OPERATORS)}")
    return OPERATORS.get(op)(col(name), meta, value)


def _floats(text: str, count: int, what: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != count:
        raise bad(f"{what} 参数格式错误", f"malformed {what}", f"{what} takes {count} comma-separated numbers")
    return values


def envelope(box: tuple[float, ...] | list[float]) -> exp.Expression:
    return exp.func("ST_MakeEnvelope", *(exp.Literal.number(v) for v in box))


def spatial_conditions(dataset: Dataset, params: dict[str, str]) -> list[exp.Expression]:
    geom = dataset.geometry
    wanted = [p for p in ("bbox", "near") if p in params]
    if wanted and geom is None:
        raise bad("该数据集没有空间字段", "this dataset has no geometry column", "drop bbox/near")
    out: list[exp.Expression] = []
    if "bbox" in params:
        box = _floats(params["bbox"], 4, "bbox")
        out.append(exp.func("ST_Intersects", col(geom.name), envelope(box)))  # type: ignore[union-attr]
    if "near" in params:
        lng, lat, meters = _floats(params["near"], 3, "near")
        centre = exp.func("ST_Centroid", col(geom.name))  # type: ignore[union-attr]
        # ST_Distance_Sphere takes [latitude, longitude] axis order.
        distance = exp.func("ST_Distance_Sphere",
                            exp.func("ST_Point", exp.Literal.number(lat), exp.Literal.number(lng)),
                            exp.func("ST_Point", exp.func("ST_Y", centre), exp.func("ST_X", centre)))
        out.append(exp.LTE(this=distance, expression=exp.Literal.number(meters)))
    return out


def conjunction(conditions: list[exp.Expression]) -> exp.Expression | None:
    return exp.and_(*conditions) if conditions else None
