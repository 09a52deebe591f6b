"""Per-caller rate limits (token buckets in memory, per server process).

Each API key or signed-in user gets ``rate`` requests per minute with bursts up to the same
number; beyond that the API answers 429 with a Retry-After header. Limits are per process: a
deployment with several server processes divides the budget accordingly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fastapi import Depends, Request

from lingshu.core.context import Context
from lingshu.core.errors import LingshuError
from lingshu.security.accounts import Principal


class RateLimited(LingshuError):
    http_status = 429


class TokenBuckets:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.clock = clock
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, who: str) -> float:
        """0 if allowed, else the seconds to wait."""
        with self._lock:
            now = self.clock()
            tokens, last = self._state.get(who, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._state[who] = (tokens - 1, now)
                return 0.0
            self._state[who] = (tokens, now)
            return (1 - tokens) / self.rate


def rate_limited(ctx: Context, current: Callable[..., Principal]) -> Callable[..., Principal]:
    buckets: TokenBuckets = getattr(ctx, "_api_buckets", None) or TokenBuckets(
        ctx.workspace.config.api_rate_per_minute)
    ctx._api_buckets = buckets  # type: ignore[attr-defined]  # one bucket set per server

    def dependency(request: Request, principal: Principal = Depends(current)) -> Principal:
        wait = buckets.take(f"{principal.via}:{principal.username}")
        if wait:
            ctx.security.audit.record(principal.username, "api.rate_limited", request.url.path, outcome="denied")
            raise RateLimited(f"请求过于频繁 too many requests; retry in {wait:.1f} s",
                              hint="slow down, or ask for a higher limit")
        return principal

    return dependency
