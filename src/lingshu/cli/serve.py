"""``lingshu serve``: the data APIs, the console and the dashboards on one port."""

from __future__ import annotations

from typing import Annotated

import typer

from lingshu.cli.common import console, open_context
from lingshu.core.context import Context


def serve_context(ctx: Context, host: str, port: int, scheduler: bool = False) -> None:
    import threading

    import uvicorn

    from lingshu.serve.app import create_app

    app = create_app(ctx)
    stop = threading.Event()
    if scheduler:
        # In this process: DuckDB lets one process write the warehouse, so the scheduler shares
        # the server's connection (API reads use their own cursors and never wait for it).
        from lingshu.ops import Ops

        sched = Ops(ctx).scheduler()
        threading.Thread(target=sched.loop, kwargs={"stop": stop}, name="lingshu-scheduler", daemon=True).start()
        console.print(f"调度器已在服务内启动 scheduler running in the server ({sched.locks.owner})")
    console.print(f"[bold green]临数控制台 console[/]: http://{host}:{port}/   "
                  f"API 文档 docs: http://{host}:{port}/docs   (Ctrl+C 停止 stop)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        stop.set()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Address to bind / 监听地址")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port / 端口")] = 8600,
        scheduler: Annotated[bool, typer.Option(
            "--scheduler/--no-scheduler", help="Also run the scheduler in this process / 同时运行调度器")] = False,
    ) -> None:
        """Serve APIs, console and dashboards / 启动数据服务、控制台与大屏。"""
        with open_context() as ctx:
            serve_context(ctx, host, port, scheduler)
