"""Compile a table's rules to SQL: ONE scan for every batchable rule, apart only what must be.

The scan is a single ``SELECT`` of aggregates over the table::

    SELECT count(*) AS "__rows",
           count_if("__r0_a") AS "r0_checked", count_if("__r0_a" AND "__r0_v") AS "r0_failed", ...
    FROM (SELECT <applies> AS "__r0_a", <violation> AS "__r0_v", ..., * FROM "dwd"."t")

so thirty rules cost one pass over the data. Each row predicate is projected once and counted
twice: written as two ``FILTER`` clauses it would be evaluated twice (no common-subexpression
elimination across aggregates), which costs more than the scans batching saves.
Pure: no engine here, so the output is pinned by golden files in tests/govern/quality/golden/.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lingshu.govern.quality.registry import (RULE_KINDS, AggCheck, Check, HistoryCheck, QueryCheck, RowCheck,
                                             Target, ensure_loaded)
from lingshu.govern.quality.rules_table import scope
from lingshu.govern.quality.spec import RuleSpec
from lingshu.govern.quality.sqltext import ident
from lingshu.govern.quality.sqltext import table as quote_table

ROWS = "__rows"


@dataclass(frozen=True)
class CompiledRule:
    index: int
    rule: RuleSpec
    check: Check
    row_offending: str | None = None  # for a RowCheck: SELECT of its offending rows

    @property
    def alias(self) -> str:
        return f"r{self.index}"

    @property
    def batched(self) -> bool:
        return isinstance(self.check, RowCheck | AggCheck)

    @property
    def offending(self) -> str | None:
        return self.row_offending or getattr(self.check, "offending", None)

    @property
    def table_rows(self) -> bool:
        """The offending SELECT returns the checked table's own columns (samples can be unioned)."""
        return self.offending is not None and getattr(self.check, "table_rows", True)


@dataclass
class TablePlan:
    table: str
    rules: list[CompiledRule] = field(default_factory=list)

    @property
    def quoted(self) -> str:
        return quote_table(self.table)

    @property
    def scan_sql(self) -> str:
        """The one scan: the row count, then checked/failed (and extras) per batched rule."""
        cols, flags = [f"count(*) AS {ident(ROWS)}"], []
        for c in self.batched():
            checked, failed = ident(c.alias + "_checked"), ident(c.alias + "_failed")
            if isinstance(c.check, RowCheck):
                a, v = ident(f"__{c.alias}_a"), ident(f"__{c.alias}_v")
                flags.append(f"{scope(c.rule, c.check.applies)} AS {a}, ({c.check.violation}) AS {v}")
                cols.append(f"count_if({a}) AS {checked}, count_if({a} AND {v}) AS {failed}")
            else:
                assert isinstance(c.check, AggCheck)
                cols.append(f"{c.check.checked} AS {checked}, {c.check.failed} AS {failed}")
                cols.extend(f"{sql} AS {ident(f'{c.alias}_x_{name}')}" for name, sql in c.check.extras.items())
        source = self.quoted
        if flags:
            source = "(SELECT\n    " + ",\n    ".join(flags) + f",\n    *\n  FROM {self.quoted}) AS {ident('__scan')}"
        return "SELECT\n  " + ",\n  ".join(cols) + f"\nFROM {source}"

    def typed(self, types: dict[str, str]) -> TablePlan:
        """The same rules (same indexes) compiled knowing the column types."""
        target = Target(self.table, self.quoted, dict(types))
        return TablePlan(self.table, [compile_rule(c.index, c.rule, target) for c in self.rules])

    def batched(self) -> list[CompiledRule]:
        return [c for c in self.rules if c.batched]

    def queries(self) -> list[CompiledRule]:
        return [c for c in self.rules if isinstance(c.check, QueryCheck)]

    def history(self) -> list[CompiledRule]:
        return [c for c in self.rules if isinstance(c.check, HistoryCheck)]

    def sample_sql(self, rules: list[CompiledRule], limit: int) -> str:
        """One query with up to ``limit`` offending rows per rule, tagged with the rule's index.

        Only for rules whose offending rows are table rows (same columns, so UNION ALL works).
        """
        parts = [f"(SELECT {c.index} AS \"__rule\", s.* FROM ({c.offending}) AS s LIMIT {limit})" for c in rules]
        return "\nUNION ALL\n".join(parts)

    def statements(self) -> list[str]:
        """Every statement a check runs besides samples: the scan, then one per separate query."""
        out = [self.scan_sql]
        out.extend(c.check.sql for c in self.queries() if isinstance(c.check, QueryCheck))
        return out


def compile_rule(index: int, rule: RuleSpec, target: Target) -> CompiledRule:
    check = RULE_KINDS.get(rule.kind).compile(rule, target)
    offending = None
    if isinstance(check, RowCheck):
        applies = scope(rule, check.applies)
        offends = check.violation if applies == "TRUE" else f"{applies} AND ({check.violation})"
        offending = f"SELECT * FROM {target.quoted} WHERE {offends}"
    return CompiledRule(index, rule, check, offending)


def compile_table(table: str, rules: list[RuleSpec], types: dict[str, str] | None = None) -> TablePlan:
    """``types`` (column -> engine type), when known, lets compilers skip work (see ``Target``)."""
    ensure_loaded()
    target = Target(table, quote_table(table), dict(types or {}))
    return TablePlan(table, [compile_rule(i, r, target) for i, r in enumerate(rules)])
