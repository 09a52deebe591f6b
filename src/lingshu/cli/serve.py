"""``lingshu serve``: the data APIs, the console and the dashboards on one port."""

from __future__ import annotations

from typing import Annotated

import typer

from lingshu.cli.common import console, open_context
from lingshu.core.context import Context


def serve_context(ctx: Context, host: str, port: int) -> None:
    import uvicorn

    from lingshu.serve.app import create_app

    app = create_app(ctx)
    console.print(f"[bold green]临数控制台 console[/]: http://{host}:{port}/   "
                  f"API 文档 docs: http://{host}:{port}/docs   (Ctrl+C 停止 stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Address to bind / 监听地址")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port / 端口")] = 8600,
    ) -> None:
        """Serve APIs, console and dashboards / 启动数据服务、控制台与大屏。"""
        with open_context() as ctx:
            serve_context(ctx, host, port)
