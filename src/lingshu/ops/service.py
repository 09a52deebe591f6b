"""``Ops``: the operations facade over a Context, shared by the CLI, the server and tests.

Clock and sleep are injected so tests drive deadlines, backoff and schedules without waiting;
the state store may be given separately so two schedulers can hold two connections pools.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lingshu.ops.alerts import AlertCenter, workspace_secrets
from lingshu.ops.config import OpsConfig, load_ops_config
from lingshu.ops.cron import Cron
from lingshu.ops.events import Alert
from lingshu.ops.incidents import IncidentBook
from lingshu.ops.timeutil import Clock, utcnow
from lingshu.state.store import StateStore

if TYPE_CHECKING:
    from lingshu.core.context import Context
    from lingshu.ops.backup import Backups
    from lingshu.ops.scheduler import Scheduler


class Ops:
    def __init__(self, ctx: Context, *, store: StateStore | None = None, config: OpsConfig | None = None,
                 clock: Clock = utcnow, sleep: Callable[[float], Any] = time.sleep):
        self.ctx = ctx
        self._store = store
        self._config = config
        self.clock = clock
        self.sleep = sleep

    @cached_property
    def store(self) -> StateStore:
        return self._store or self.ctx.state

    @cached_property
    def config(self) -> OpsConfig:
        return self._config or load_ops_config(self.ctx.workspace.root)

    @cached_property
    def incidents(self) -> IncidentBook:
        return IncidentBook(self.store, self.config.incidents, self.clock)

    @cached_property
    def alerts(self) -> AlertCenter:
        return AlertCenter(self.store, self.config.alerts, self.incidents,
                           secrets=workspace_secrets(self.ctx.workspace.folder("secrets")),
                           clock=self.clock, sleep=self.sleep)

    @cached_property
    def backups(self) -> Backups:
        from lingshu.ops.backup import Backups

        return Backups(self)

    def raise_alert(self, alert: Alert) -> int:
        """For other packages (quality rules, the server): returns the incident id."""
        return int(self.alerts.raise_alert(alert).incident["id"])

    def scheduler(self, *, owner: str | None = None, with_system_jobs: bool = True) -> Scheduler:
        from lingshu.ops.monitor import run_checks
        from lingshu.ops.scheduler import Scheduler

        scheduler = Scheduler(self, owner=owner)
        if with_system_jobs:
            if self.config.scheduler.monitor_cron:
                scheduler.extra_jobs["__monitor__"] = (Cron.parse(self.config.scheduler.monitor_cron),
                                                       lambda: run_checks(self))
            if self.config.backup.cron:
                scheduler.extra_jobs["__backup__"] = (Cron.parse(self.config.backup.cron),
                                                      lambda: self.backups.create(by="scheduler").label)
        return scheduler
