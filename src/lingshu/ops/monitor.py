"""Health checks and stale sources: the alerts nobody's run raises by failing.

Health checks are a registry of ``(ops) -> None`` callables that raise on failure; the defaults
probe the warehouse and the state store. A source is stale when its last successful load is
older than its limit (``stale_sources`` in ops.yaml). A source never loaded is not stale: there
is nothing to be late against, and a failing first run already raises its own alert.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from lingshu.core.registry import Registry
from lingshu.ops.events import Alert
from lingshu.ops.timeutil import as_utc, local_text

if TYPE_CHECKING:
    from lingshu.ops.service import Ops

HealthCheck = Callable[["Ops"], None]
HEALTH_CHECKS: Registry[HealthCheck] = Registry("health check")


@HEALTH_CHECKS.register("warehouse")
def _warehouse(ops: Ops) -> None:
    if ops.ctx.engine.scalar("SELECT 1") != 1:
        raise RuntimeError("the warehouse did not answer SELECT 1")


@HEALTH_CHECKS.register("state")
def _state(ops: Ops) -> None:
    if ops.store.revision() is None:
        raise RuntimeError("the state store has no schema revision")


def check_health(ops: Ops) -> list[Alert]:
    raised = []
    for name, check in HEALTH_CHECKS.items():
        try:
            check(ops)
        except Exception as exc:  # any failure of a probe is what we are looking for
            alert = Alert(kind="health_check", key=f"health_check:{name}", source=name,
                          title=f"健康检查失败：{name}", message=f"{type(exc).__name__}: {str(exc)[:500]}")
            ops.alerts.raise_alert(alert)
            raised.append(alert)
    return raised


def check_stale_sources(ops: Ops) -> list[Alert]:
    cfg = ops.config.stale_sources
    now = ops.clock()
    raised = []
    for pack in ops.ctx.catalog.packs.values():
        if cfg.only_scheduled and pack.spec.schedule is None:
            continue
        for source in pack.spec.sources:
            last = ops.store.last_success(source.target)
            if last is None:
                continue
            hours = cfg.tables.get(source.target, cfg.default_hours)
            loaded = as_utc(last["ended_at"] or last["started_at"])
            if now - loaded <= timedelta(hours=hours):
                continue
            alert = Alert(kind="stale_source", key=f"stale_source:{source.target}", source=source.target,
                          pack=pack.id, serves_api=bool(pack.spec.apis or pack.spec.dashboards),
                          title=f"数据源 {source.title or source.name}（{source.target}）超过 {hours:g} 小时未更新",
                          message=f"最近一次成功加载：{local_text(loaded)}（北京时间）",
                          detail={"hours": hours, "last_run": last["run_id"]})
            ops.alerts.raise_alert(alert)
            raised.append(alert)
    return raised


def run_checks(ops: Ops) -> str:
    alerts = check_health(ops) + check_stale_sources(ops)
    return f"{len(alerts)} alert(s)" + (": " + ", ".join(a.key for a in alerts) if alerts else "")
