"""What a check found: per rule, per table, and the scores per GB/T 36344 dimension.

Scores are 0-100. A rule scores ``100 * (1 - failed / checked)`` (an error scores 0; a rule that
checked nothing has no score). A dimension scores the mean of its rules; a table the mean of its
dimensions, so each dimension weighs the same whatever its number of rules (the standard
evaluates dimensions, not rule counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean
from typing import Any

from lingshu.govern.quality.spec import Dimension, Severity

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass
class RuleResult:
    table: str
    rule_id: str
    kind: str
    dimension: Dimension
    severity: Severity
    checked: int = 0
    failed: int = 0
    status: str = PASSED
    tolerance: float = 0.0
    description: str | None = None
    sample: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    sql: str | None = None

    @property
    def ratio(self) -> float:
        return self.failed / self.checked if self.checked else 0.0

    def settle(self) -> RuleResult:
        """Set the status from the counts (errors stay errors)."""
        if self.status != ERROR:
            self.status = FAILED if self.failed and self.ratio > self.tolerance else PASSED
        return self

    @property
    def blocks(self) -> bool:
        """A blocking rule that failed, or could not be checked, stops the downstream."""
        return self.severity is Severity.blocking and self.status != PASSED

    @property
    def score(self) -> float | None:
        if self.status == ERROR:
            return 0.0
        return None if not self.checked else 100.0 * (1.0 - self.ratio)


def dimension_scores(results: list[RuleResult]) -> dict[str, float]:
    """Mean rule score per dimension, in the standard's order; dimensions without rules are absent."""
    out: dict[str, float] = {}
    for dim in Dimension:
        scores = [r.score for r in results if r.dimension is dim and r.score is not None]
        if scores:
            out[dim.value] = round(mean(scores), 2)
    return out


def overall(scores: dict[str, float]) -> float | None:
    return round(mean(scores.values()), 2) if scores else None


@dataclass
class TableQuality:
    pack: str
    table: str
    rows: int | None
    results: list[RuleResult]
    started_at: datetime
    ended_at: datetime
    run_id: int | None = None
    id: int | None = None  # quality_runs.id once stored

    @property
    def blocking_failed(self) -> list[RuleResult]:
        return [r for r in self.results if r.blocks]

    @property
    def status(self) -> str:
        if self.blocking_failed:
            return FAILED
        return "warning" if any(r.status != PASSED for r in self.results) else PASSED

    @property
    def dimension_scores(self) -> dict[str, float]:
        return dimension_scores(self.results)

    @property
    def score(self) -> float | None:
        return overall(self.dimension_scores)

    def summary(self) -> str:
        bad = self.blocking_failed
        names = ", ".join(f"{r.rule_id} ({r.failed}/{r.checked})" if r.status == FAILED else f"{r.rule_id} (error)"
                          for r in bad)
        return f"quality: {len(bad)} blocking rule(s) failed: {names}"
