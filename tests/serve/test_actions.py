"""Console actions over HTTP: permission-checked, audited, and they really act."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from lingshu.core.context import Context
from lingshu.serve.app import create_app


def test_run_submit_and_review(orders_ctx: Context) -> None:
    acc = orders_ctx.security.accounts
    acc.add_user("eng", ["engineer"], password="0123456789ab")
    acc.add_user("rev", ["reviewer"], password="0123456789ab")
    acc.add_user("look", ["viewer"], password="0123456789ab")
    keys = {u: {"Authorization": f"Bearer {acc.create_key(u)}"} for u in ("eng", "rev", "look")}
    client = TestClient(create_app(orders_ctx))
    assert client.post("/api/v1/packs/orders/runs", headers=keys["look"]).status_code == 403
    started = client.post("/api/v1/packs/orders/runs", headers=keys["eng"])
    assert started.status_code == 200 and started.json()["status"] == "started"
    deadline = time.monotonic() + 60
    while not (runs := orders_ctx.state.list_runs("orders")) or runs[0]["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert runs[0]["trigger"] == "console" and runs[0]["user"] == "eng" and runs[0]["status"] == "success"
    review = client.post("/api/v1/packs/orders/approvals", headers=keys["eng"]).json()
    assert "+++ b/pack.yaml" in review["changes"]
    assert client.post(f"/api/v1/approvals/{review['review']}", json={"approve": True},
                       headers=keys["eng"]).status_code == 403  # engineers cannot approve
    done = client.post(f"/api/v1/approvals/{review['review']}", json={"approve": True, "comment": "已核对"},
                       headers=keys["rev"])
    assert done.json()["status"] == "approved"
    root = orders_ctx.catalog.get("orders").root
    assert orders_ctx.security.approvals.is_approved("orders", root)
    actions = {r["action"] for r in orders_ctx.security.audit.list(20)}
    assert {"pack.run", "approval.request", "approval.review"} <= actions
