"""``/api/v1/ops``: incidents, alerts and notifications for the console (运维). Needs ``ops.manage``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel

from lingshu.core.context import Context
from lingshu.ops import Ops
from lingshu.security.accounts import Principal
from lingshu.serve.auth import require


class Resolution(BaseModel):
    cause: str
    fix: str


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/api/v1/ops", tags=["运维 operations"])
    current = require(ctx)
    ops = Ops(ctx)

    def operator(principal: Principal = Depends(current)) -> Principal:
        principal.require("ops.manage")  # AccessDenied answers 403 through the app's error handler
        return principal

    @r.get("/incidents")
    def incidents(status: str | None = None, grade: str | None = None, q: str | None = None, limit: int = 100,
                  who: Principal = Depends(operator)) -> list[dict[str, Any]]:
        return jsonable_encoder(ops.incidents.list(status=status, grade=grade, query=q, limit=min(limit, 1000)))

    @r.get("/incidents/{incident_id}")
    def incident(incident_id: int, who: Principal = Depends(operator)) -> dict[str, Any]:
        return jsonable_encoder(ops.incidents.get(incident_id))

    def _move(action: str, incident_id: int, who: Principal, **kwargs: str) -> dict[str, Any]:
        row = getattr(ops.incidents, action)(incident_id, who.username, **kwargs)
        ctx.security.audit.record(who.username, f"incident.{action}", f"incident:{incident_id}", via=who.via)
        return jsonable_encoder(row)

    @r.post("/incidents/{incident_id}/ack")
    def ack(incident_id: int, who: Principal = Depends(operator)) -> dict[str, Any]:
        return _move("acknowledge", incident_id, who)

    @r.post("/incidents/{incident_id}/resolve")
    def resolve(incident_id: int, body: Resolution, who: Principal = Depends(operator)) -> dict[str, Any]:
        return _move("resolve", incident_id, who, cause=body.cause, fix=body.fix)

    @r.post("/incidents/{incident_id}/close")
    def close(incident_id: int, who: Principal = Depends(operator)) -> dict[str, Any]:
        return _move("close", incident_id, who)

    @r.get("/alerts")
    def alerts(limit: int = 100, who: Principal = Depends(operator)) -> list[dict[str, Any]]:
        return jsonable_encoder(ops.alerts.list_alerts(min(limit, 1000)))

    @r.get("/notifications")
    def notifications(unread: bool = False, limit: int = 100,
                      who: Principal = Depends(operator)) -> list[dict[str, Any]]:
        return jsonable_encoder(ops.alerts.notifications(unread_only=unread, limit=min(limit, 1000)))

    @r.post("/notifications/{notification_id}/read")
    def read(notification_id: int, who: Principal = Depends(operator)) -> dict[str, str]:
        ops.alerts.mark_read(notification_id)
        return {"status": "read"}

    @r.get("/jobs")
    def jobs(job: str | None = None, limit: int = 50, who: Principal = Depends(operator)) -> list[dict[str, Any]]:
        return jsonable_encoder(ops.scheduler(with_system_jobs=False).locks.list(job, min(limit, 1000)))

    return r
