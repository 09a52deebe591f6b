"""The schema of ``indicators.yaml`` and of an indicator query."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from lingshu.core.yamlfile import Strict

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


class Grain(StrEnum):
    min15 = "15min"
    hour = "hour"
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


class Agg(StrEnum):
    count = "count"
    count_distinct = "count_distinct"
    sum = "sum"
    avg = "avg"
    min = "min"
    max = "max"
    percentile = "percentile"
    expr = "expr"  # an aggregate SQL expression over the model, e.g. "sum(a) / nullif(sum(b), 0)"
    ratio = "ratio"  # numerator / denominator, both indicators
    formula = "formula"  # arithmetic over other indicators, e.g. "a - b"


class MeasureSpec(Strict):
    agg: Agg
    column: str | None = Field(None, description="column or SQL expression aggregated")
    sql: str | None = Field(None, description="aggregate SQL expression, for agg: expr")
    fraction: float | None = Field(None, description="0..1, for agg: percentile")
    numerator: str | None = Field(None, description="indicator id (or pack.id), for agg: ratio")
    denominator: str | None = None
    scale: float = Field(1.0, description="multiplier of a ratio, e.g. 100 for a percentage")
    formula: str | None = Field(None, description="expression over input names, for agg: formula")
    inputs: dict[str, str] = Field(default_factory=dict, description="name -> indicator id, for agg: formula")

    @model_validator(mode="after")
    def _fields_for_agg(self) -> MeasureSpec:
        needs = {
            Agg.count_distinct: ["column"], Agg.sum: ["column"], Agg.avg: ["column"], Agg.min: ["column"],
            Agg.max: ["column"], Agg.percentile: ["column", "fraction"], Agg.expr: ["sql"],
            Agg.ratio: ["numerator", "denominator"], Agg.formula: ["formula", "inputs"],
        }.get(self.agg, [])
        missing = [f for f in needs if not getattr(self, f)]
        if missing:
            raise ValueError(f"agg {self.agg.value} needs {', '.join(missing)}")
        if self.fraction is not None and not 0 <= self.fraction <= 1:
            raise ValueError("fraction is between 0 and 1 (0.5 is the median)")
        return self

    @property
    def derived(self) -> bool:
        return self.agg in (Agg.ratio, Agg.formula)


class DimensionSpec(Strict):
    name: str
    title: str | None = None
    column: str | None = Field(None, description="column or SQL expression; defaults to name")

    @property
    def sql(self) -> str:
        return self.column or self.name


class TimeSpec(Strict):
    column: str = Field(description="timestamp or date column of the model")
    grains: list[Grain] = Field(default_factory=lambda: [Grain.day])


class DisclosureSpec(Strict):
    """Safe statistics for a published indicator (see lingshu.analysis.sdc)."""

    unit: str = Field(description="persons or enterprises: sets the minimum cell size")
    contributor: str | None = Field(None, description="column identifying a respondent (person id, USCC)")

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        if v not in ("persons", "enterprises"):
            raise ValueError("unit is persons or enterprises")
        return v


class IndicatorSpec(Strict):
    id: str
    name: str = Field(description="Chinese name, e.g. 在库企业数")
    definition: str = Field(description="口径 in words")
    model: str | None = Field(None, description="the model aggregated (not for derived indicators)")
    measure: MeasureSpec
    dimensions: list[DimensionSpec | str] = Field(default_factory=list)
    time: TimeSpec | None = None
    filters: list[str] = Field(default_factory=list, description="SQL conditions that are part of the definition")
    unit: str = ""
    precision: int = 2
    owner: str = Field("", description="owning department")
    version: int = 1
    disclosure: DisclosureSpec | None = Field(None, description="suppress small or dominated cells when published")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not IDENT.match(v):
            raise ValueError("indicator ids are lower_snake_case ASCII")
        return v

    @field_validator("dimensions")
    @classmethod
    def _dims(cls, v: list[DimensionSpec | str]) -> list[DimensionSpec | str]:
        return [DimensionSpec(name=d) if isinstance(d, str) else d for d in v]

    @model_validator(mode="after")
    def _model_needed(self) -> IndicatorSpec:
        if not self.measure.derived and not self.model:
            raise ValueError(f"indicator {self.id} aggregates a model: add model: <layer>.<table>")
        return self

    def dimension(self, name: str) -> DimensionSpec | None:
        return next((d for d in self.dims if d.name == name), None)

    @property
    def dims(self) -> list[DimensionSpec]:
        return [d for d in self.dimensions if isinstance(d, DimensionSpec)]

    def fingerprint(self) -> str:
        """Hash of everything that defines the number (not the display fields)."""
        body = self.model_dump(mode="json", exclude={"name", "unit", "owner", "version"})
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


class MaterializationSpec(Strict):
    name: str = Field(description="table suffix; the table is dws.<pack>_<name>")
    indicators: list[str]
    dimensions: list[str] = Field(default_factory=list)
    grain: Grain | None = None


class IndicatorsFile(Strict):
    indicators: list[IndicatorSpec]
    materializations: list[MaterializationSpec] = Field(default_factory=list)


class IndicatorQuery(Strict):
    indicator: str
    dimensions: list[str] = Field(default_factory=list)
    grain: Grain | None = None
    start: dt.datetime | dt.date | None = Field(None, description="inclusive")
    end: dt.datetime | dt.date | None = Field(None, description="exclusive")
    filters: dict[str, Any] = Field(default_factory=dict, description="dimension -> value or list of values")
