"""What raises an alert: a failed run, a blocking quality failure, a stale source, a failed health check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The kinds the platform raises; grading rules match on these names.
KINDS = {
    "run_failed": "任务运行失败",
    "quality_blocking": "阻断级质量规则未通过",
    "stale_source": "数据源未按时更新",
    "health_check": "健康检查失败",
}


@dataclass
class Alert:
    kind: str
    key: str  # what failed, stable across repeats ("run_failed:orders"): one open incident per key
    title: str
    message: str = ""
    source: str | None = None  # pack id, table or check name
    pack: str | None = None
    serves_api: bool = False  # the pack publishes APIs or dashboards (users see stale data)
    detail: dict[str, Any] = field(default_factory=dict)  # names and counts only, never secrets
