"""The schema of ``rules.yaml``: rules per table, each with a kind, a severity and a dimension.

::

    sample_size: 5                       # offending rows kept per failed rule (default 5)
    tables:
      dwd.example_enterprise:
        - {kind: not_null, column: uscc, severity: blocking}
        - {kind: validator, column: uscc, validator: uscc, dimension: 规范性}
        - {kind: range, column: capital_wan, min: 0, max: 1000000, tolerance: 0.01}

Common keys of every rule are on :class:`RuleSpec`; each kind adds its own (see ``RULE_KINDS``).
The file is validated in two passes so every error names the file and line: the outer shape,
then each rule against its kind's model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from lingshu.core import yamlfile
from lingshu.core.yamlfile import Loc, Strict
from lingshu.govern.quality.errors import QualityError
from lingshu.govern.quality.sqltext import check_expression
from lingshu.pack.spec import _check_table_name


class Dimension(StrEnum):
    """The six quality dimensions of GB/T 36344-2018 数据质量评价指标."""

    conformity = "conformity"  # 规范性: conforms to standards, formats, code tables
    completeness = "completeness"  # 完整性: elements and records present
    accuracy = "accuracy"  # 准确性: values true, plausible, not duplicated
    consistency = "consistency"  # 一致性: agrees across fields and tables
    timeliness = "timeliness"  # 时效性: current enough
    accessibility = "accessibility"  # 可访问性: reachable and usable

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]

    @classmethod
    def parse(cls, value: Any) -> Dimension:
        text = str(value).strip()
        for dim in cls:
            if text.lower() == dim.value or text == dim.label:
                return dim
        choices = ", ".join(f"{d.value} ({d.label})" for d in cls)
        raise ValueError(f"unknown quality dimension {text!r}; use one of: {choices}")


DIMENSION_LABELS = {
    Dimension.conformity: "规范性", Dimension.completeness: "完整性", Dimension.accuracy: "准确性",
    Dimension.consistency: "一致性", Dimension.timeliness: "时效性", Dimension.accessibility: "可访问性",
}


class Severity(StrEnum):
    blocking = "blocking"  # 阻断: a failure stops the table's downstream models
    warning = "warning"  # 警告: reported, nothing stops

    @property
    def label(self) -> str:
        return "阻断" if self is Severity.blocking else "警告"


class RuleSpec(Strict):
    """Keys every rule has. Kinds subclass this with a ``kind`` literal and their own keys."""

    kind: str
    id: str | None = Field(None, description="unique per table; default <kind>_<columns>")
    description: str | None = Field(None, description="what the rule means, in Chinese, for the report")
    severity: Severity = Field(Severity.warning, description="blocking (阻断) or warning (警告)")
    dimension: Dimension | None = Field(None, description="GB/T 36344 dimension; default per kind")
    where: str | None = Field(None, description="SQL condition: only these rows are checked")
    tolerance: float = Field(0.0, ge=0.0, le=1.0, description="failed ratio still accepted (0..1)")

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: Any) -> Any:
        return {"阻断": "blocking", "警告": "warning"}.get(str(value).strip(), value)

    @field_validator("dimension", mode="before")
    @classmethod
    def _dimension(cls, value: Any) -> Any:
        return None if value is None else Dimension.parse(value)

    @field_validator("where")
    @classmethod
    def _where(cls, value: str | None) -> str | None:
        return None if value is None else check_expression(value)

    def columns_used(self) -> list[str]:
        """Columns of the checked table the rule names (checked to exist before running)."""
        cols = getattr(self, "columns", None) or []
        col = getattr(self, "column", None)
        return [*([col] if col else []), *cols]

    def default_id(self) -> str:
        return "_".join([self.kind, *self.columns_used()])


class _RawFile(Strict):
    sample_size: int = Field(5, ge=0, le=100, description="offending rows kept per failed rule")
    tables: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)


@dataclass
class RulesFile:
    path: Path
    sample_size: int
    tables: dict[str, list[RuleSpec]]
    lines: dict[Loc, int] = field(default_factory=dict, repr=False)

    def where(self, table: str, index: int | None = None) -> str:
        loc: Loc = ("tables", table) if index is None else ("tables", table, index)
        line = yamlfile.line_of(self.lines, loc)
        return f"{self.path}:{line}" if line else str(self.path)

    def rules(self) -> list[tuple[str, RuleSpec]]:
        return [(t, r) for t, rules in self.tables.items() for r in rules]


def load_rules(path: Path) -> RulesFile:
    """Read and validate a rules file; errors name the file, the line and the fix."""
    from lingshu.govern.quality.registry import RULE_KINDS, ensure_loaded

    ensure_loaded()
    data, lines = yamlfile.read_yaml(path)
    raw = yamlfile.validate(_RawFile, data, path, lines)
    tables: dict[str, list[RuleSpec]] = {}
    for name, items in raw.tables.items():
        try:
            _check_table_name(name)
        except ValueError as exc:  # checked here, not by pydantic, to point at the key's own line
            raise QualityError(str(exc), where=f"{path}:{yamlfile.line_of(lines, ('tables', name))}",
                               hint="rules are keyed by layer-qualified table names, e.g. dwd.orders") from None
        rules: list[RuleSpec] = []
        for i, item in enumerate(items):
            loc: Loc = ("tables", name, i)
            kind = item.get("kind") if isinstance(item, dict) else None
            if kind not in RULE_KINDS:
                where = yamlfile.line_of(lines, (*loc, "kind"))
                raise QualityError(f"rule {i + 1} of {name} has {'kind ' + repr(kind) if kind else 'no kind'}",
                                   where=f"{path}:{where}", hint=f"kind is one of: {', '.join(RULE_KINDS)}")
            rule = _validate_rule(RULE_KINDS.get(kind).spec, item, path, lines, loc)
            rule.id = rule.id or rule.default_id()
            rule.dimension = rule.dimension or RULE_KINDS.get(kind).dimension
            if any(r.id == rule.id for r in rules):
                raise QualityError(f"two rules of {name} have the id {rule.id!r}",
                                   where=f"{path}:{yamlfile.line_of(lines, loc)}",
                                   hint="give one of them its own 'id:'")
            rules.append(rule)
        tables[name] = rules
    return RulesFile(path=path, sample_size=raw.sample_size, tables=tables, lines=lines)


def _validate_rule(model: type[RuleSpec], item: dict[str, Any], path: Path, lines: dict[Loc, int],
                   loc: Loc) -> RuleSpec:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            full = (*loc, *error["loc"])
            line = yamlfile.line_of(lines, full)
            msg = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            fix = yamlfile._fix_for(error, model)  # noqa: SLF001 - the shared did-you-mean helper
            shown = ".".join(str(p) for p in full)
            problems.append(f"{path}:{line}: {shown}: {msg} (fix: {fix})")
        raise QualityError(f"{len(problems)} problem(s) in {path.name}:\n  " + "\n  ".join(problems),
                           where=problems[0].split(": ", 1)[0],
                           hint="correct the lines above; `lingshu pack validate` checks again") from None
