"""The transport packs' dashboards in headless Chromium: every chart drawn, nothing fetched from outside."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboards.dash_support import PASSWORD
from dashboards.test_browser import ARGS, CANVAS_KINDS, CHROMIUM, Guard, open_context, painted, shot, sign_in, wait_board
from lingshu.serve.app import create_app
from packs.transport_support import transport_context

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

BOARDS = ["road_archive/overview", "road_archive/archive", "congestion_index/congestion", "passenger_flow/screen"]


@pytest.fixture(scope="module")
def base(synth_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    root = tmp_path_factory.mktemp("transport-browser") / "ws"
    packs = ["road_archive", "congestion_index", "passenger_flow"]
    ctx_manager = transport_context(root, synth_world, packs)
    ctx = next(ctx_manager)
    assert all(r.status == "success" for r in ctx.reports.values())
    ctx.security.accounts.add_user("traffic", ["analyst"], password=PASSWORD)
    for pack in packs:
        ctx.security.grants.add("user:traffic", f"indicator:{pack}.*", ["read", "export"])
        for table in ctx.catalog.get(pack).produces():
            ctx.security.grants.add("user:traffic", f"dataset:{table}", ["read", "export"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    ctx_manager.close()


@pytest.mark.parametrize("board", BOARDS)
def test_every_chart_is_drawn_offline(base: str, board: str) -> None:
    guard = Guard()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = open_context(browser, guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, base, "traffic", f"/dashboards/{board}")
        wait_board(page, board)
        shot(page, "dashboard-" + board.replace("/", "-"))
        states = page.eval_on_selector_all("[data-chart]", "els => els.map(e => [e.dataset.chart, e.dataset.type, e.dataset.state])")
        context.close()
        browser.close()
    # A table may legitimately be empty (no alert right now); every chart must have data.
    assert states and [s for s in states if s[2] != "ready" and not (s[1] == "table" and s[2] == "empty")] == []
    assert errors == [] and guard.external == []
    _check_painted(base, board, [c for c, k, _ in states if k in CANVAS_KINDS])


def _check_painted(base: str, board: str, charts: list[str]) -> None:
    guard = Guard()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = open_context(browser, guard)
        page = context.new_page()
        sign_in(page, base, "traffic", f"/dashboards/{board}")
        wait_board(page, board)
        empty = [c for c in charts if painted(page, c) <= 50]
        context.close()
        browser.close()
    assert empty == [], f"{board}: empty canvases {empty}"
