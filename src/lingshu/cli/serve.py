"""``lingshu serve``: the data APIs, the console and the dashboards on one port."""

from __future__ import annotations

from typing import Annotated

import typer

from lingshu.cli.common import console, open_context
from lingshu.core.context import Context


def query_threads(ctx: Context, threads: int | None, scheduler: bool) -> None:
    """DuckDB threads for the server's queries; by default one when no pipeline runs here.

    An API answers many small queries at once, so parallelism inside one query buys no throughput:
    a filtered page of 50 rows took 4.8 ms of CPU with DuckDB's two threads and 2.8 ms with one
    (waking the second thread costs more than it saves), and 32 concurrent requests keep both
    cores busy anyway. With the scheduler in the process, pipeline builds want every core, so the
    engine keeps its default unless ``threads`` says otherwise. (The setting is per database, not
    per cursor, in DuckDB.)
    """
    if threads is None and not scheduler:
        threads = 1
    if threads and ctx.engine.name == "duckdb":
        ctx.engine.execute(f"SET threads = {int(threads)}")


def serve_context(ctx: Context, host: str, port: int, scheduler: bool = False, threads: int | None = None) -> None:
    import threading

    import uvicorn

    from lingshu.serve.app import create_app

    app = create_app(ctx)
    query_threads(ctx, threads, scheduler)
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
        # No access log: a request line carries its filters, which may be personal data; the audit
        # log already records every data access. (It was off at level "warning" anyway.)
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        stop.set()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Address to bind / 监听地址")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port / 端口")] = 8600,
        scheduler: Annotated[bool, typer.Option(
            "--scheduler/--no-scheduler", help="Also run the scheduler in this process / 同时运行调度器")] = False,
        threads: Annotated[int | None, typer.Option(
            min=1, help="DuckDB threads (default: 1 without the scheduler, else all cores) / 查询线程数")] = None,
    ) -> None:
        """Serve APIs, console and dashboards / 启动数据服务、控制台与大屏。"""
        with open_context() as ctx:
            serve_context(ctx, host, port, scheduler, threads)
