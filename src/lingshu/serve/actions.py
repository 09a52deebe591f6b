"""``/api/v1/packs/{id}/runs`` and ``/api/v1/approvals``: the console's actions, checked and audited.

A run started here goes to a background thread (the request returns at once with the run's
place in the update log); one run per pack at a time.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from lingshu.core.context import Context
from lingshu.core.errors import LingshuError
from lingshu.security.accounts import Principal
from lingshu.serve.auth import require


class Busy(LingshuError):
    http_status = 409


class Review(BaseModel):
    approve: bool
    comment: str | None = None


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/api/v1", tags=["操作 actions"])
    current = require(ctx)
    running: set[str] = set()
    guard = threading.Lock()

    @r.post("/packs/{pack_id}/runs", summary="立即运行场景包 Run a pack now")
    def run_pack(pack_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        principal.require("pack.run")
        ctx.catalog.get(pack_id)  # unknown pack: 400 with the list
        with guard:
            if pack_id in running:
                raise Busy(f"{pack_id} 正在运行 is already running", hint="wait for it to finish (see its runs)")
            running.add(pack_id)

        def work() -> None:
            try:
                ctx.run(pack_id, trigger="console", user=principal.username)
            finally:
                with guard:
                    running.discard(pack_id)

        ctx.security.audit.record(principal.username, "pack.run", f"pack:{pack_id}", via="console")
        threading.Thread(target=work, name=f"run-{pack_id}", daemon=True).start()
        return {"status": "started", "pack": pack_id}

    @r.post("/packs/{pack_id}/approvals", summary="提交安全审核 Submit for security review")
    def submit(pack_id: str, principal: Principal = Depends(current)) -> dict[str, Any]:
        principal.require("pack.submit")
        review = ctx.security.approvals.request(pack_id, ctx.catalog.get(pack_id).root, principal.username)
        ctx.security.audit.record(principal.username, "approval.request", f"pack:{pack_id}", review=review)
        return {"review": review, "changes": ctx.security.approvals.changes(review)}

    @r.post("/approvals/{review_id}", summary="审核 Approve or reject a review")
    def review(review_id: int, body: Review, principal: Principal = Depends(current)) -> dict[str, Any]:
        principal.require("pack.approve")
        ctx.security.approvals.review(review_id, principal.username, body.approve, body.comment)
        decision = "approved" if body.approve else "rejected"
        ctx.security.audit.record(principal.username, "approval.review", f"review:{review_id}", decision=decision)
        return {"review": review_id, "status": decision}

    return r
