"""Dashboard draw time in headless Chromium: navigation to every chart drawn, served locally.

    .venv/bin/python benchmarks/dashboard_draw.py [--repeat 5]

Builds the example pack in a temporary workspace, serves it on 127.0.0.1, signs in, and times
from navigation start until the dashboard marks itself ready (all charts and maps drawn with
their data). Baseline: the same page's bare HTML and scripts with the data API answered from
the browser cache of a previous load (the second and later loads), to separate rendering from
first-load cost. Prints the median and the worst of ``--repeat`` loads.
"""

from __future__ import annotations

import argparse
import secrets
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import uvicorn
    from playwright.sync_api import sync_playwright

    from lingshu.serve.app import create_app

    ws = init_workspace(Path(tempfile.mkdtemp(prefix="lingshu-bench-dash-")) / "ws")
    ctx = Context(ws)
    assert ctx.run("example_enterprises").status == "success"
    password = secrets.token_urlsafe(12)
    ctx.security.accounts.add_user("bench", ["analyst"], password=password)
    ctx.security.grants.add("user:bench", "indicator:example_enterprises.*", ["read"])
    ctx.security.grants.add("user:bench", "dataset:*", ["read"])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/dashboards/example_enterprises/overview"
    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(f"http://127.0.0.1:{port}")
                   else r.abort())
        page.request.post(f"http://127.0.0.1:{port}/api/v1/auth/login",
                          data={"username": "bench", "password": password})
        for _ in range(args.repeat):
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("[data-ready='1']", timeout=60_000)
            times.append((time.perf_counter() - start) * 1000)
        charts = page.evaluate("document.querySelectorAll('canvas, svg').length")
        browser.close()
    server.should_exit = True
    ctx.close()
    first, later = times[0], times[1:] or times
    print(f"example dashboard, {charts} chart surfaces, {args.repeat} loads")
    print(f"  first load (cold caches)      {first:8.0f} ms")
    print(f"  later loads median / worst    {statistics.median(later):8.0f} / {max(later):.0f} ms")
    print(f"  ratio first/later {first / statistics.median(later):.2f}x")


if __name__ == "__main__":
    main()
