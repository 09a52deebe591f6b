"""Per-caller rate limits (token buckets in memory, per server process) and key IP allow-lists.

Each API key gets its own requests-per-minute (set on the key, else the workspace's
``api_rate_per_minute``), with bursts up to the same number; beyond that the API answers 429 with
a Retry-After header. A key restricted to addresses or networks answers 403 from anywhere else.
Limits are per process: a deployment with several server processes divides the budget.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from lingshu.core.context import Context
from lingshu.core.errors import LingshuError
from lingshu.security.accounts import Principal


class RateLimited(LingshuError):
    http_status = 429


class IpNotAllowed(LingshuError):
    http_status = 403


class TokenBuckets:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.default = per_minute
        self.clock = clock
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, who: str, per_minute: int | None = None) -> float:
        """0 if allowed, else the seconds to wait."""
        capacity = float(per_minute or self.default)
        rate = capacity / 60.0
        with self._lock:
            now = self.clock()
            tokens, last = self._state.get(who, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1:
                self._state[who] = (tokens - 1, now)
                return 0.0
            self._state[who] = (tokens, now)
            return (1 - tokens) / rate


def rate_limited(ctx: Context, current: Callable[..., Any]) -> Callable[..., Awaitable[Principal]]:
    buckets: TokenBuckets = getattr(ctx, "_api_buckets", None) or TokenBuckets(
        ctx.workspace.config.api_rate_per_minute)
    ctx._api_buckets = buckets  # type: ignore[attr-defined]  # one bucket set per server

    # Async, like ``require``: the checks are in memory; only a refusal's audit record is written
    # on a worker thread.
    async def dependency(request: Request, principal: Principal = Depends(current)) -> Principal:
        address = request.client.host if request.client else None
        if not principal.ip_allowed(address):
            await run_in_threadpool(ctx.security.audit.record, principal.username, "api.ip_denied", request.url.path,
                                    outcome="denied", key=principal.key, address=address)
            raise IpNotAllowed(f"此密钥不允许从 {address} 访问 / this key may not be used from {address}",
                               hint="use the key from an allowed address, or ask for the allow-list to be changed")
        who = f"key:{principal.key}" if principal.key else f"{principal.via}:{principal.username}"
        wait = buckets.take(who, principal.rate_per_minute)
        if wait:
            await run_in_threadpool(ctx.security.audit.record, principal.username, "api.rate_limited",
                                    request.url.path, outcome="denied")
            raise RateLimited(f"请求过于频繁 too many requests; retry in {wait:.1f} s",
                              hint="slow down, or ask for a higher limit")
        return principal

    return dependency
