"""Table-level rule kinds: duplicates, references, freshness, row-count change, custom SQL.

``unique`` and ``freshness`` are aggregates and still ride in the table's one scan; the others
need a join, the user's own query or the previous run, so they run apart.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from lingshu.govern.quality.registry import AggCheck, Check, HistoryCheck, QueryCheck, Target, rule_kind
from lingshu.govern.quality.spec import Dimension, RuleSpec
from lingshu.govern.quality.sqltext import check_select, ident
from lingshu.govern.quality.sqltext import table as quote_table
from lingshu.pack.spec import _check_table_name


def scope(rule: RuleSpec, *conditions: str | None) -> str:
    """AND of the conditions and the rule's ``where`` (TRUE when there are none)."""
    parts = [c for c in conditions if c]
    if rule.where:
        parts.append(f"({rule.where})")
    return " AND ".join(parts) or "TRUE"


def _columns_before(data: Any) -> Any:
    """Accept ``column: x`` as ``columns: [x]``."""
    if isinstance(data, dict) and "column" in data and "columns" not in data:
        data = {**data, "columns": [data["column"]]}
        del data["column"]
    return data


def duplicate_rows(target: Target, cols: list[str], present: str) -> str:
    """SELECT of the rows whose key is duplicated: a join to the duplicated keys.

    The keys come from one GROUP BY of the key columns alone, so a sample (``LIMIT 5`` around this)
    reads only the key columns in full and stops at its first rows. The window it replaces
    (``QUALIFY count(*) OVER (PARTITION BY key) > 1``) partitioned every column of the whole table
    before the first row came out, and Spark does not take QUALIFY with ``SELECT *``. The scope
    names the checked table's columns unqualified; the joined side only exposes ``__k0``...
    """
    t, d = ident("__t"), ident("__d")
    keys = ", ".join(f"{c} AS {ident(f'__k{i}')}" for i, c in enumerate(cols))
    on = " AND ".join(f"{t}.{c} = {d}.{ident(f'__k{i}')}" for i, c in enumerate(cols))
    return (f"SELECT {t}.* FROM {target.quoted} AS {t} JOIN (SELECT {keys} FROM {target.quoted} "
            f"WHERE {present} GROUP BY {', '.join(cols)} HAVING count(*) > 1) AS {d} ON {on} WHERE {present}")


class UniqueRule(RuleSpec):
    kind: Literal["unique"]
    columns: list[str] = Field(min_length=1, description="the key: one or more columns")

    _columns = model_validator(mode="before")(_columns_before)


@rule_kind("unique", "唯一性", UniqueRule, Dimension.accuracy)
def unique(rule: UniqueRule, target: Target) -> Check:
    cols = [ident(c) for c in rule.columns]
    present = scope(rule, *(f"{c} IS NOT NULL" for c in cols))
    key = cols[0] if len(cols) == 1 else f"row({', '.join(cols)})"
    # failed = surplus rows (rows - distinct keys): a key seen 3 times counts 2, as 数据重复率 does.
    offending = duplicate_rows(target, cols, present)
    return AggCheck(checked=f"count(*) FILTER (WHERE {present})",
                    failed=f"count(*) FILTER (WHERE {present}) - count(DISTINCT {key}) FILTER (WHERE {present})",
                    offending=offending)


def reference_query(rule: RuleSpec, target: Target, columns: list[str], other: str, keys: list[str]) -> QueryCheck:
    """Rows whose non-NULL ``columns`` have no match on ``keys`` in table ``other`` (an anti-join)."""
    present = [f"t.{ident(c)} IS NOT NULL" for c in columns]
    # The rule's where clause names the checked table's columns: they are unambiguous because
    # the joined side only exposes its aliased key columns.
    where = scope(rule, *present)
    distinct = ", ".join(f"{ident(k)} AS {ident(f'__k{i}')}" for i, k in enumerate(keys))
    on = " AND ".join(f"t.{ident(c)} = r.{ident(f'__k{i}')}" for i, c in enumerate(columns))
    sql = (f"SELECT count(*) AS checked, count(*) FILTER (WHERE r.\"__found\" IS NULL) AS failed "
           f"FROM {target.quoted} AS t LEFT JOIN (SELECT DISTINCT {distinct}, TRUE AS \"__found\" "
           f"FROM {quote_table(other)}) AS r ON {on} WHERE {where}")
    match = " AND ".join(f"o.{ident(k)} = t.{ident(c)}" for c, k in zip(columns, keys, strict=True))
    offending = (f"SELECT t.* FROM {target.quoted} AS t WHERE {where} "
                 f"AND NOT EXISTS (SELECT 1 FROM {quote_table(other)} AS o WHERE {match})")
    return QueryCheck(sql, offending)


class ReferenceRule(RuleSpec):
    kind: Literal["reference"]
    columns: list[str] = Field(min_length=1, description="columns of this table (the foreign key)")
    table: str = Field(description="the referenced table, e.g. dwd.legal_person")
    to: list[str] | None = Field(None, description="its key columns (default: the same names)")

    _columns = model_validator(mode="before")(_columns_before)

    @field_validator("table")
    @classmethod
    def _table(cls, value: str) -> str:
        return _check_table_name(value)

    @model_validator(mode="after")
    def _same_length(self) -> ReferenceRule:
        if self.to is not None and len(self.to) != len(self.columns):
            raise ValueError(f"'to' names {len(self.to)} column(s) for {len(self.columns)} in 'columns'")
        return self


@rule_kind("reference", "引用完整性（外键）", ReferenceRule, Dimension.consistency)
def reference(rule: ReferenceRule, target: Target) -> Check:
    return reference_query(rule, target, rule.columns, rule.table, rule.to or rule.columns)


AGE = re.compile(r"^\s*(\d+)\s*(minute|hour|day|week|month)s?\s*$")


class FreshnessRule(RuleSpec):
    kind: Literal["freshness"]
    column: str = Field(description="a date or timestamp column: the newest value is checked")
    max_age: str = Field(description="how old the newest value may be, e.g. '2 days', '6 hours'")

    @field_validator("max_age")
    @classmethod
    def _age(cls, value: str) -> str:
        m = AGE.match(value)
        if not m:
            raise ValueError("write a number and a unit: minutes, hours, days, weeks or months, e.g. '2 days'")
        return f"{m.group(1)} {m.group(2)}s"


@rule_kind("freshness", "时效（最新数据时间）", FreshnessRule, Dimension.timeliness)
def freshness(rule: FreshnessRule, target: Target) -> Check:
    latest = f"max({ident(rule.column)})" + (f" FILTER (WHERE {scope(rule)})" if rule.where else "")
    # Local wall-clock time: the bureau's timestamps are Asia/Shanghai without a zone.
    fresh = f"CAST({latest} AS TIMESTAMP) >= localtimestamp - INTERVAL '{rule.max_age}'"
    return AggCheck(checked="1", failed=f"CASE WHEN {fresh} THEN 0 ELSE 1 END",
                    extras={"latest": f"CAST({latest} AS VARCHAR)"})


class RowCountChangeRule(RuleSpec):
    kind: Literal["row_count_change"]
    max_change: float = Field(0.5, gt=0, description="largest accepted relative change, e.g. 0.2 = ±20%")
    min_rows: int = Field(0, ge=0, description="fewest rows accepted in any case")

    def default_id(self) -> str:
        return "row_count_change"


@rule_kind("row_count_change", "记录数变化", RowCountChangeRule, Dimension.completeness)
def row_count_change(rule: RowCountChangeRule, target: Target) -> Check:
    def evaluate(rows: int, previous: int | None) -> tuple[int, int, dict[str, Any]]:
        detail: dict[str, Any] = {"rows": rows, "previous": previous}
        too_few = rows < rule.min_rows
        if previous is None:  # first check: nothing to compare with, only the floor applies
            return 1, int(too_few), detail
        change = (rows - previous) / previous if previous else (0.0 if rows == 0 else float("inf"))
        detail["change"] = round(change, 6) if change != float("inf") else "inf"
        return 1, int(too_few or abs(change) > rule.max_change), detail

    return HistoryCheck(evaluate)


class CustomSqlRule(RuleSpec):
    kind: Literal["custom_sql"]
    sql: str = Field(description="SELECT returning the offending rows; {table} is the checked table "
                                 "('where' then only limits the rows counted as checked)")

    @field_validator("sql")
    @classmethod
    def _sql(cls, value: str) -> str:
        check_select(value.replace("{table}", "__lingshu_table"))
        return value.strip().rstrip(";")

    def default_id(self) -> str:
        return "custom_sql"


@rule_kind("custom_sql", "自定义 SQL", CustomSqlRule, Dimension.accuracy)
def custom_sql(rule: CustomSqlRule, target: Target) -> Check:
    offending = rule.sql.replace("{table}", target.quoted)
    checked = f"(SELECT count(*) FROM {target.quoted} WHERE {scope(rule)})"
    return QueryCheck(f"SELECT {checked} AS checked, count(*) AS failed FROM ({offending}) AS q",
                      offending, table_rows=False)
