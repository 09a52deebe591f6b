"""``lingshu init``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lingshu.cli.common import console
from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(
        directory: Annotated[Path, typer.Argument(help="Folder to create / 工作区目录")] = Path("."),
        state_url: Annotated[str | None, typer.Option(
            "--state-url", help="SQLAlchemy URL of the state store / 状态库地址 (default: SQLite in the workspace)")] = None,
        name: Annotated[str | None, typer.Option(help="Workspace name / 工作区名称")] = None,
    ) -> None:
        """Create a workspace / 创建工作区：配置、数仓、状态库与目录。"""
        ws = init_workspace(directory, name=name, state_url=state_url)
        with Context(ws) as ctx:
            state_url = ctx.state.safe_url  # opening migrates: creates the store, proves the URL
            ctx.engine  # creates the warehouse file and checks the extensions load
        console.print(f"已创建工作区 workspace created: [bold]{ws.root}[/]")
        console.print(f"  数仓 warehouse: {ws.warehouse}\n  状态库 state store: {state_url}")
