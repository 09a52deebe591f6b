"""The schema of ``pack.yaml``. Every key is declared here; unknown keys are errors."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from lingshu.core.yamlfile import Strict

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
LAYERS = ("ods", "dwd", "dws", "ads")


class Domain(StrEnum):
    transport = "transport"  # 智慧交通
    governance = "governance"  # 城市治理
    talent = "talent"  # 人才与自然人
    industry = "industry"  # 产业发展
    example = "example"  # examples and templates


def _check_table_name(value: str) -> str:
    parts = value.split(".")
    if len(parts) != 2 or parts[0] not in LAYERS or not IDENT.match(parts[1]):
        raise ValueError(f"{value!r} is not a table name like 'dwd.orders' (layer one of {', '.join(LAYERS)})")
    return value


class ColumnSpec(Strict):
    name: str
    type: str = "VARCHAR"
    title: str | None = Field(None, description="Chinese name shown in the console and documents")
    description: str | None = None
    required: bool = False
    classification: str | None = Field(None, description="公开/内部/敏感/重要 (public/internal/sensitive/important)")
    personal: bool = Field(False, description="personal information (个人信息)")
    mask: str | None = Field(None, description="masking kind for viewers without clear access, e.g. id, phone, name")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not IDENT.match(v):
            raise ValueError("column names are lower_snake_case ASCII; put the Chinese name in 'title'")
        return v


class SourceSpec(Strict):
    name: str
    kind: str = Field(description="connector kind, e.g. csv")
    target: str = Field(description="ODS table to load, e.g. ods.orders")
    path: str | None = Field(None, description="file or glob, relative to the pack folder or the workspace raw/")
    options: dict[str, Any] = Field(default_factory=dict, description="connector options")
    columns: list[ColumnSpec] = Field(default_factory=list, description="declared columns and types")
    title: str | None = None
    provider: str | None = Field(None, description="the department that supplies the data")

    @field_validator("target")
    @classmethod
    def _target(cls, v: str) -> str:
        return _check_table_name(v)


class ModelSpec(Strict):
    """Metadata for a model whose SQL lives in ``models/<layer>/<name>.sql``."""

    name: str
    title: str | None = None
    description: str | None = None
    unique_key: list[str] = Field(default_factory=list, description="columns identifying a row")
    columns: list[ColumnSpec] = Field(default_factory=list)
    materialized: Literal["table", "incremental"] = Field(
        "table", description="table: rebuilt whole and swapped in; incremental: new rows merged into the existing table")
    partition_by: str | None = Field(
        None, description="incremental by time partition: partitions from the latest one loaded on are replaced")
    watermark: str | None = Field(
        None, description="incremental merge: read only rows whose column is later than the table's latest")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _check_table_name(v)

    @model_validator(mode="after")
    def _incremental(self) -> ModelSpec:
        if self.materialized == "incremental" and not (self.unique_key or self.partition_by):
            raise ValueError("an incremental model needs unique_key (merge by key) or partition_by (time partitions)")
        if self.materialized == "table" and (self.partition_by or self.watermark):
            raise ValueError("partition_by and watermark apply to 'materialized: incremental' models")
        return self


class ScheduleSpec(Strict):
    cron: str = Field(description="five-field cron expression, e.g. '0 2 * * *'")
    timezone: str = "Asia/Shanghai"


class PackSpec(Strict):
    id: str = Field(description="lower_snake_case identifier")
    name: str = Field(description="Chinese name of the scenario")
    domain: Domain
    department: str = Field(description="owning department (责任部门)")
    description: str = ""
    version: str = "0.1.0"
    users: list[str] = Field(default_factory=list, description="who uses the outputs")
    depends_on: list[str] = Field(default_factory=list, description="ids of packs whose tables this reads")
    sources: list[SourceSpec] = Field(default_factory=list)
    models: list[ModelSpec] = Field(default_factory=list)
    rules: str | None = Field(None, description="quality rules file, relative to the pack")
    indicators: str | None = Field(None, description="indicators file, relative to the pack")
    apis: list[str] = Field(default_factory=list, description="tables published as data APIs")
    dashboards: list[str] = Field(default_factory=list, description="dashboard files, relative to the pack")
    schedule: ScheduleSpec | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not IDENT.match(v):
            raise ValueError("pack ids are lower_snake_case ASCII, e.g. road_archive")
        return v
