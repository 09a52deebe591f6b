"""数据运维 operations: scheduler, incremental runs' update log, alerts, incidents, backups, reports.

``Ops(ctx)`` is the entry point; see ``service.py``. The state it keeps (job locks, incidents,
alerts, notifications, backups) lives in the workspace's state store (migration 0004).
"""

from lingshu.ops.events import Alert
from lingshu.ops.service import Ops

__all__ = ["Alert", "Ops"]
