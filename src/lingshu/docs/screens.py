"""Dashboard screenshots for the 可视化页面设计文件: the real pages, served locally, in Chromium.

The server is the platform's own app (uvicorn in a thread on a free 127.0.0.1 port). It signs in
as a key-only service account ``docs_renderer`` with the viewer role: read grants on the pack's
indicators and published datasets are added for the session and revoked afterwards, and the
session is closed, so the pictures show what a viewer sees (sensitive fields masked) and no
access outlives the run. Non-local requests are aborted by the browser's route guard.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from lingshu.core.errors import LingshuError

if TYPE_CHECKING:
    from lingshu.docs.facts import Facts

ACCOUNT = "docs_renderer"
WAIT_MS = 30_000


@contextmanager
def _server(facts: Facts) -> Iterator[str]:
    import uvicorn

    from lingshu.serve.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(facts.ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise LingshuError("the local server for screenshots did not start",
                               hint="check that 127.0.0.1 accepts connections, or pass --no-screenshots")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@contextmanager
def _session(facts: Facts) -> Iterator[str]:
    security = facts.ctx.security
    if not any(u["username"] == ACCOUNT for u in security.accounts.list_users()):
        security.accounts.add_user(ACCOUNT, ["viewer"], display_name="文档截图服务账号", department="临数平台")
    resources = [f"indicator:{facts.pack.id}.*"] + [f"dataset:{t}" for t in facts.spec.apis]
    # Dashboards may show other packs' indicators (a KPI next to ours); the packs depended on too.
    resources += [f"indicator:{dep}.*" for dep in facts.spec.depends_on]
    grant_ids = [security.grants.add(f"user:{ACCOUNT}", r, ["read"], granted_by="lingshu docs") for r in resources]
    token = security.accounts.open_session(security.accounts.principal(ACCOUNT, "session"), hours=1)
    security.audit.record(ACCOUNT, "docs.screenshots", f"pack:{facts.pack.id}", grants=len(grant_ids))
    try:
        yield token
    finally:
        security.accounts.close_session(token)
        for gid in grant_ids:
            security.grants.revoke(gid)


def dashboard_screenshots(facts: Facts, keys: list[str]) -> dict[str, bytes | str]:
    """``pack/dashboard`` -> PNG, or the reason there is none (said in the document)."""
    from lingshu.serve.app import WEB_DIST
    from lingshu.serve.auth import SESSION_COOKIE

    browser = facts.browser
    if not keys:
        return {}
    if not facts.options.screenshots or browser is None:
        return dict.fromkeys(keys, "本次生成未截图（--no-screenshots）。")
    if not browser.available:
        return dict.fromkeys(keys, f"无法截图：{browser.unavailable}")
    if not (WEB_DIST / "echarts.min.js").exists():
        return dict.fromkeys(keys, "无法截图：前端资源未构建（运行 make web）。")
    out: dict[str, bytes | str] = {}
    with _server(facts) as base, _session(facts) as token:
        context = browser.new_context(1600, 1000)
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": base}])
        try:
            for key in keys:
                page = context.new_page()
                try:
                    page.goto(f"{base}/dashboards/{key}")
                    page.wait_for_function(
                        "k => { const b = document.querySelector(`[data-board='${k}']`);"
                        " return b && b.dataset.ready === '1'; }", arg=key, timeout=WAIT_MS)
                    page.wait_for_timeout(600)  # let ECharts finish its first frame
                    out[key] = page.screenshot(full_page=True, type="png")
                except Exception as exc:  # noqa: BLE001 - one page failing leaves the others' pictures
                    out[key] = f"截图失败：{str(exc).splitlines()[0][:200]}"
                finally:
                    page.close()
        finally:
            context.close()
    return out
