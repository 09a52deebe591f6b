"""Helpers for operations tests: scheduled packs, a fake clock, approvals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from support import ORDERS_PACK, write_files

# The orders pack, scheduled daily at 02:00 and publishing an API. Its data file is delivered to the
# workspace's raw/ folder, as providers' files are: editing the pack itself would void its approval.
SCHEDULED_ORDERS = {k: v for k, v in ORDERS_PACK.items() if not k.startswith("data/")}
SCHEDULED_ORDERS["pack.yaml"] = (ORDERS_PACK["pack.yaml"].rstrip()
                                 + "\n        apis: [ads.orders_by_town]\n        schedule: {cron: \"0 2 * * *\"}\n")

REPORT_PACK = {
    "pack.yaml": """
        id: orders_report
        name: 订单汇总
        domain: example
        department: 测试部门
        depends_on: [orders]
        models:
          - name: ads.orders_total
        schedule: {cron: "0 2 * * *"}
        """,
    "models/ads/orders_total.sql": """
        SELECT count(*) AS orders FROM dwd.orders
        """,
}


class FakeClock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_ctx(tmp_path: Path, state_url: str | None = None, with_report: bool = False) -> Context:
    root = tmp_path / "packs"
    write_files(root / "orders", SCHEDULED_ORDERS)
    if with_report:
        write_files(root / "orders_report", REPORT_PACK)
    ws = init_workspace(tmp_path / "ws", name="ops", state_url=state_url, pack_paths=[str(root)])
    write_files(ws.folder("raw"), {"data/orders.csv": ORDERS_PACK["data/orders.csv"]})
    ws.config.builtin_packs = False
    return Context(ws)


def approve(ctx: Context, *packs: str) -> None:
    for pack_id in packs:
        pack = ctx.catalog.get(pack_id)
        review = ctx.security.approvals.request(pack_id, pack.root, "li")
        ctx.security.approvals.review(review, "chen", True, "已审核")




def raw_csv(ctx: Context) -> Path:
    """The delivered orders file in the workspace's raw/ folder."""
    return ctx.workspace.folder("raw") / "data" / "orders.csv"
