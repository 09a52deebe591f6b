"""The one exception type of the ops package (scheduler, incidents, alerts, backups, reports)."""

from __future__ import annotations

from lingshu.core.errors import LingshuError


class OpsError(LingshuError):
    """An operations task cannot be done as asked (bad cron, unknown incident, missing backup...)."""
