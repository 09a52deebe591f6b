"""Operations settings: packaged defaults (``defaults.yaml``) overlaid by the workspace's ``ops.yaml``.

Mappings merge key by key; a list in ``ops.yaml`` (grading rules, webhooks, recipients) replaces
the default list as a whole, so a workspace states its complete rule set in one place.
Secrets (SMTP password, webhook token) are never written here: the config names a file in the
workspace's ``secrets/`` folder (or a ``LINGSHU_SECRET_<NAME>`` variable) that holds the value.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, field_validator

from lingshu.core import yamlfile
from lingshu.core.yamlfile import Strict

DEFAULTS = Path(__file__).with_name("defaults.yaml")
WORKSPACE_FILE = "ops.yaml"


class Grade(StrEnum):
    urgent = "urgent"  # 紧急: a core service is down
    serious = "serious"  # 严重: service degraded
    general = "general"  # 一般: no service impact


GRADE_NAMES = {"紧急": Grade.urgent, "严重": Grade.serious, "一般": Grade.general}
GRADE_LABELS = {v: k for k, v in GRADE_NAMES.items()}


def _grade(value: Any) -> Any:
    """Rules may name grades in Chinese (紧急/严重/一般) or English."""
    return GRADE_NAMES.get(value, value) if isinstance(value, str) else value


class RetryConfig(Strict):
    max_attempts: int = Field(3, ge=1, description="attempts per scheduled job, the first included")
    backoff_seconds: float = Field(60, ge=0, description="wait before the second attempt")
    backoff_factor: float = Field(2, ge=1, description="each further wait is this many times longer")
    max_backoff_seconds: float = Field(1800, ge=0, description="cap on one wait")

    def delay(self, failed_attempts: int) -> float:
        """Seconds to wait after ``failed_attempts`` failures (1 -> backoff_seconds)."""
        return min(self.backoff_seconds * self.backoff_factor ** (failed_attempts - 1), self.max_backoff_seconds)


class SchedulerConfig(Strict):
    tick_seconds: float = Field(30, gt=0, description="how often the loop looks for due jobs")
    misfire_grace_minutes: float = Field(
        60, gt=0, description="a scheduled time missed by more than this is not run late (use backfill)")
    retry: RetryConfig = Field(default_factory=RetryConfig)
    monitor_cron: str | None = Field("*/5 * * * *", description="when health and staleness checks run; null = never")


class WebhookConfig(Strict):
    url: str = Field(description="HTTP(S) endpoint on the intranet that receives a JSON POST")
    token_secret: str | None = Field(None, description="secret name whose value is sent as a Bearer token")
    timeout_seconds: float = Field(5, gt=0)
    attempts: int = Field(3, ge=1)
    backoff_seconds: float = Field(2, ge=0)


class EmailConfig(Strict):
    host: str
    port: int = 25
    ssl: bool = Field(False, description="SMTP over TLS from the start (port 465)")
    starttls: bool = Field(False, description="upgrade with STARTTLS (port 587)")
    username: str | None = None
    password_secret: str | None = Field(None, description="secret name holding the SMTP password")
    sender: str = Field(description="From address, e.g. lingshu@lingang.gov.cn")
    to: list[str] = Field(min_length=1)
    timeout_seconds: float = Field(10, gt=0)


class AlertsConfig(Strict):
    console: bool = Field(True, description="list alerts in the console's notification table")
    webhooks: list[WebhookConfig] = Field(default_factory=list)
    email: EmailConfig | None = None


class SlaSpec(Strict):
    label: str = Field(description="Chinese grade name")
    meaning: str = ""
    response_minutes: int = Field(gt=0)
    recovery_minutes: int = Field(gt=0)


class RuleMatch(Strict):
    """Every field given must match; an empty list matches anything."""

    kind: list[str] = Field(default_factory=list, description="run_failed, quality_blocking, stale_source, health_check")
    packs: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="fnmatch patterns on the alert's source")
    serves_api: bool | None = Field(None, description="the failing pack publishes data APIs or dashboards")


class GradeRule(Strict):
    name: str
    grade: Grade
    when: RuleMatch = Field(default_factory=RuleMatch)
    description: str = ""

    @field_validator("grade", mode="before")
    @classmethod
    def _chinese_grade(cls, v: Any) -> Any:
        return _grade(v)


class IncidentConfig(Strict):
    grades: dict[Grade, SlaSpec]
    rules: list[GradeRule]
    default_grade: Grade = Grade.general

    @field_validator("default_grade", mode="before")
    @classmethod
    def _chinese_default(cls, v: Any) -> Any:
        return _grade(v)

    @field_validator("grades", mode="before")
    @classmethod
    def _grade_keys(cls, v: Any) -> Any:
        return {_grade(k): s for k, s in v.items()} if isinstance(v, dict) else v

    @field_validator("grades")
    @classmethod
    def _all_grades(cls, v: dict[Grade, SlaSpec]) -> dict[Grade, SlaSpec]:
        missing = [g.value for g in Grade if g not in v]
        if missing:
            raise ValueError(f"every grade needs deadlines; missing: {', '.join(missing)}")
        return v


class StaleConfig(Strict):
    default_hours: float = Field(26, gt=0, description="a source not loaded for this long is stale")
    tables: dict[str, float] = Field(default_factory=dict, description="per ODS table, hours")
    only_scheduled: bool = Field(True, description="check only sources of packs that have a schedule")


class BackupConfig(Strict):
    cron: str | None = Field("30 1 * * *", description="when the scheduler backs up; null = never")
    folder: str = Field("backups", description="backup folder, relative to the workspace")
    keep: int = Field(7, ge=1, description="complete backups kept; older ones are pruned")


class OpsConfig(Strict):
    scheduler: SchedulerConfig = Field(default_factory=SchedulerConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    incidents: IncidentConfig
    stale_sources: StaleConfig = Field(default_factory=StaleConfig)
    backup: BackupConfig = Field(default_factory=BackupConfig)


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in over.items()}}
    return over


def load_ops_config(workspace_root: Path | None) -> OpsConfig:
    data = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))
    path = workspace_root / WORKSPACE_FILE if workspace_root else None
    if path is None or not path.exists():
        return OpsConfig.model_validate(data)
    override, lines = yamlfile.read_yaml(path)
    return yamlfile.validate(OpsConfig, _merge(data, override or {}), path, lines)
