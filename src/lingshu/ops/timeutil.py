"""Time helpers: one clock type, UTC in the store, Asia/Shanghai on screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Stored times come back naive from SQLite and aware from PostgreSQL; both are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_text(value: datetime | None) -> str:
    """Beijing time for people: ``2026-03-02 10:15``."""
    value = as_utc(value)
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else ""
