"""``/healthz``: liveness for operators and the scheduler's health checks."""

from __future__ import annotations

from fastapi import APIRouter

from lingshu import __version__
from lingshu.core.context import Context


def router(ctx: Context) -> APIRouter:
    r = APIRouter(tags=["运维 operations"])

    @r.get("/healthz")
    def healthz() -> dict[str, object]:
        checks = {"warehouse": bool(ctx.engine.scalar("SELECT 1")), "state": ctx.state.revision() is not None}
        return {"status": "ok" if all(checks.values()) else "degraded", "version": __version__, "checks": checks}

    return r
