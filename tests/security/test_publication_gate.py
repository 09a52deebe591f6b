"""Production workspaces publish only reviewed packs; development runs are labelled."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.serve.app import create_app
from support import ORDERS_PACK, write_files


def test_unreviewed_or_changed_pack_is_not_published(tmp_path: Path) -> None:
    files = dict(ORDERS_PACK)
    files["pack.yaml"] += "apis: [ads.orders_by_town]\n"
    root = write_files(tmp_path / "packs" / "orders", files)
    ws = init_workspace(tmp_path / "ws", pack_paths=[str(root.parent)])
    ws.config.builtin_packs = False
    ws.config.mode = "production"
    with Context(ws) as ctx:
        ctx.run("orders")
        assert ctx.state.list_runs("orders")[0]["approval"] == "unreviewed"
        acc = ctx.security.accounts
        acc.add_user("reader", ["analyst"])
        ctx.security.grants.add("user:reader", "dataset:ads.*", ["read"])
        key = acc.create_key("reader")
        client = TestClient(create_app(ctx))
        url = "/api/v1/datasets/ads.orders_by_town/rows"
        headers = {"Authorization": f"Bearer {key}"}
        refused = client.get(url, headers=headers)
        assert refused.status_code == 403 and "security review" in refused.json()["error"]
        review = ctx.security.approvals.request("orders", root, "engineer_li")
        ctx.security.approvals.review(review, "reviewer_chen", True)
        assert client.get(url, headers=headers).status_code == 200
        (root / "models" / "ads" / "orders_by_town.sql").write_text(
            "SELECT town, count(*) AS orders FROM dwd.orders GROUP BY town", encoding="utf-8")
        changed = client.get(url, headers=headers)
        assert changed.status_code == 403 and "changed" in changed.json()["error"]
        ctx.run("orders")
        assert ctx.state.list_runs("orders")[0]["approval"] == "changed"
