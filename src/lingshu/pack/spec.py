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


class LayeredName:
    """``layer`` and ``table`` of anything whose ``name`` is "<layer>.<table>" (models, steps)."""

    name: str

    @property
    def layer(self) -> str:
        return self.name.split(".")[0]

    @property
    def table(self) -> str:
        return self.name.split(".")[1]


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
    encrypt: bool = Field(False, description="store SM4-GCM ciphertext in the warehouse, plus a <name>_token column")
    token: str | None = Field(None, description="normaliser of the join token: text, id_number, uscc, phone, name, email")
    derive: dict[str, str] = Field(default_factory=dict, description=(
        "sources only: columns computed from the plaintext before it is sealed, name -> SQL expression"))
    sealed_from: str | None = Field(None, description=(
        "models only, with encrypt: the column selects ciphertext of this sealed column (layer.table.column), "
        "which is re-sealed under this table's key and binding without plaintext ever reaching SQL"))

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not IDENT.match(v):
            raise ValueError("column names are lower_snake_case ASCII; put the Chinese name in 'title'")
        return v

    @field_validator("sealed_from")
    @classmethod
    def _sealed_from(cls, v: str | None, info: Any) -> str | None:
        if v is None:
            return v
        if not info.data.get("encrypt"):
            raise ValueError("sealed_from re-seals ciphertext: add encrypt: true to the column")
        if len(v.split(".")) != 3:
            raise ValueError(f"sealed_from {v!r} names a sealed column as layer.table.column, e.g. ods.persons.id_number")
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


class StepSpec(Strict):
    """A Python step: a registered function (``lingshu.core.pysteps.PY_STEPS``) that builds tables.

    For work that is not one SELECT (entity resolution, golden records with stable ids). It sits in
    the DAG like a model: ``name`` is its main table, ``reads`` the tables it reads, ``writes`` the
    other tables it produces (each built after the main one, in the same step).
    """

    name: str = Field(description="main table the step produces, e.g. dwd.person_golden")
    function: str = Field(description="registered step name, e.g. er.golden (see `lingshu.core.pysteps`)")
    reads: list[str] = Field(default_factory=list, description="tables the step reads")
    writes: list[str] = Field(default_factory=list, description="further tables the step produces")
    options: dict[str, Any] = Field(default_factory=dict, description="validated by the step function's options model")
    title: str | None = None
    description: str | None = None
    unique_key: list[str] = Field(default_factory=list, description="columns identifying a row of the main table")
    columns: list[ColumnSpec] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _check_table_name(v)

    @field_validator("reads", "writes")
    @classmethod
    def _tables(cls, v: list[str]) -> list[str]:
        return [_check_table_name(t) for t in v]


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
    steps: list[StepSpec] = Field(default_factory=list, description="Python steps (registered functions)")
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
