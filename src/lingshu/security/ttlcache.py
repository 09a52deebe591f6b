"""Rows read from the state store, kept for a few seconds: grants and API keys are checked on every
API call, and a change made in another process needs to be seen within the TTL, not at once."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any

DEFAULT_TTL = 5.0  # seconds: how late another process's grant or key change may be seen


class TtlCache:
    """``get`` returns a value stored less than ``ttl`` seconds ago, else None. At ``size`` entries
    the cache starts afresh (entries are cheap to read again; no per-entry bookkeeping)."""

    def __init__(self, ttl: float = DEFAULT_TTL, size: int | None = None):
        self.ttl = ttl
        self.size = size
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable) -> Any:
        hit = self._entries.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        if self.size is not None and len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), value)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:  # shows what is held (tests check no secret is)
        return f"TtlCache(ttl={self.ttl}, entries={self._entries!r})"

    def clear(self) -> None:
        """After a change in this process: it takes effect at once here."""
        self._entries.clear()
