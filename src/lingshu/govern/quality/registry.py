"""Rule kinds by name: ``RULE_KINDS.get("range")`` gives the rule's model and its compiler.

A compiler turns one rule into one of four check forms, and the form decides how it runs:

- :class:`RowCheck`: a per-row predicate; batched into the table's one scan as two
  ``count(*) FILTER (WHERE ...)`` aggregates (checked, failed).
- :class:`AggCheck`: aggregates of their own, still in the one scan (``unique``, ``freshness``).
- :class:`QueryCheck`: a separate query returning one row ``(checked, failed)``, where a join or
  the user's own SQL makes batching impossible (``reference``, code tables, ``custom_sql``).
- :class:`HistoryCheck`: computed in Python from the scan's row count and the previous run's
  (``row_count_change``): no SQL at all.

``offending`` is a SELECT of offending rows, used for samples; when ``table_rows`` is true it
returns exactly the checked table's columns, so the samples of many rules share one query.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lingshu.core.registry import Registry
from lingshu.govern.quality.spec import Dimension, RuleSpec


@dataclass(frozen=True)
class RowCheck:
    violation: str  # true for an offending row (evaluated only where ``applies``)
    applies: str | None = None  # which rows are checked at all (e.g. the value is not NULL)


@dataclass(frozen=True)
class AggCheck:
    checked: str  # aggregate SQL over the (scoped) table
    failed: str
    offending: str | None = None  # SELECT of offending table rows
    extras: dict[str, str] = field(default_factory=dict)  # more aggregates, kept as the result's detail


@dataclass(frozen=True)
class QueryCheck:
    sql: str  # one row: checked, failed
    offending: str | None = None
    table_rows: bool = True  # offending returns the checked table's columns


@dataclass(frozen=True)
class HistoryCheck:
    # (rows now, rows at the previous check or None) -> (checked, failed, detail)
    evaluate: Callable[[int, int | None], tuple[int, int, dict[str, Any]]]


Check = RowCheck | AggCheck | QueryCheck | HistoryCheck
Compiler = Callable[[Any, "Target"], Check]


# Column types whose text form is never blank: for these "present" is just IS NOT NULL, and the
# CAST to text that blank detection needs (costly for numbers and dates) is skipped.
_NEVER_BLANK = ("TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "REAL", "DOUBLE", "DECIMAL", "NUMERIC", "BOOLEAN",
                "DATE", "TIME", "TIMESTAMP", "BYTE", "SHORT", "LONG")


@dataclass(frozen=True)
class Target:
    """What a compiler needs to know about the checked table."""

    name: str  # dwd.orders
    quoted: str  # "dwd"."orders"
    # Column -> engine type, when known (run_plan reads them); compilers only use it to skip work.
    types: dict[str, str] = field(default_factory=dict)

    def never_blank(self, column: str) -> bool:
        """True when the column's type is known and its values can be NULL but never blank text."""
        typ = self.types.get(column)
        if typ is None:
            return False
        base = typ.upper().split("(")[0].split(" ")[0].strip()
        return base in _NEVER_BLANK and "[]" not in typ


@dataclass(frozen=True)
class RuleKind:
    name: str
    label: str  # Chinese, for the report
    spec: type[RuleSpec]
    dimension: Dimension  # default GB/T 36344 dimension
    compile: Callable[[Any, Target], Check]


RULE_KINDS: Registry[RuleKind] = Registry("quality rule kind")

# Modules that register kinds; imported on first use (they import the validator SQL catalogue).
MODULES = ("lingshu.govern.quality.rules_row", "lingshu.govern.quality.rules_table")


def ensure_loaded() -> None:
    for module in MODULES:
        importlib.import_module(module)


def rule_kind(name: str, label: str, spec: type[RuleSpec], dimension: Dimension) -> Callable[[Compiler], Compiler]:
    """Register ``compile(rule, target)`` for kind ``name`` with its rule model ``spec``."""

    def decorator(func: Compiler) -> Compiler:
        RULE_KINDS.add(name, RuleKind(name, label, spec, dimension, func))
        return func

    return decorator
