"""`lingshu serve --scheduler`: the scheduler runs inside the server process, next to the API.

A real server process (DuckDB lets one process write the warehouse, which is why the scheduler
shares it): an approved pack due every minute is run by the scheduler while the API answers, and
Ctrl+C stops both cleanly.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from lingshu.core.context import Context
from lingshu.core.workspace import Workspace, init_workspace
from ops_support import SCHEDULED_ORDERS, approve
from support import ORDERS_PACK, write_files


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scheduled_runs(root: Path) -> list[dict]:
    with Context(Workspace.load(root)) as ctx:  # the state store only: the server holds the warehouse
        return [r for r in ctx.state.list_runs("orders") if r["trigger"] == "schedule"]


@pytest.mark.slow
def test_serve_with_scheduler_runs_due_packs_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    every_minute = {**SCHEDULED_ORDERS,
                    "pack.yaml": SCHEDULED_ORDERS["pack.yaml"].replace('cron: "0 2 * * *"', 'cron: "* * * * *"')}
    assert every_minute["pack.yaml"] != SCHEDULED_ORDERS["pack.yaml"]
    write_files(tmp_path / "packs" / "orders", every_minute)
    ws = init_workspace(tmp_path / "ws", name="serve", pack_paths=[str(tmp_path / "packs")])
    write_files(ws.folder("raw"), {"data/orders.csv": ORDERS_PACK["data/orders.csv"]})
    config = ws.root / "lingshu.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("builtin_packs: true", "builtin_packs: false"),
                      encoding="utf-8")
    with Context(Workspace.load(ws.root)) as ctx:
        approve(ctx, "orders")

    port = _free_port()
    lingshu = Path(sys.executable).parent / "lingshu"
    proc = subprocess.Popen([str(lingshu), "-w", str(ws.root), "serve", "--scheduler", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, runs = time.monotonic() + 180, []
        while time.monotonic() < deadline and not runs:
            assert proc.poll() is None, proc.communicate()[0][-3000:]
            runs = [r for r in _scheduled_runs(ws.root) if r["status"] == "success"]
            time.sleep(1)
        assert runs, "the scheduler in the server did not run the due pack within 3 minutes"
        # The API answers while the scheduler is in the process: without a key, a clear 401.
        answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/datasets/ads.orders_by_town/rows", timeout=30)
        assert answer.status_code == 401
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            output = proc.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            output = proc.communicate()[0]
    assert proc.returncode == 0, output[-3000:]
    assert "scheduler running in the server" in output
    assert "Traceback" not in output
