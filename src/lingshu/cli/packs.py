"""``lingshu pack list | validate | new``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import STATE, console
from lingshu.core.errors import WorkspaceError
from lingshu.core.workspace import find_workspace
from lingshu.pack.loader import BUILTIN_PACKS, PackCatalog, discover, load_pack
from lingshu.pack.scaffold import scaffold


def _catalog(extra: list[Path]) -> PackCatalog:
    """Built-in packs, the workspace's pack paths if there is a workspace, and ``extra``."""
    paths = [BUILTIN_PACKS]
    try:
        ws = find_workspace(STATE.workspace)
        paths = ([BUILTIN_PACKS] if ws.config.builtin_packs else []) + ws.pack_paths
    except WorkspaceError:
        pass
    extra_roots = {p.resolve() for p in extra}
    found = [p for p in discover(paths) if p.resolve() not in extra_roots]
    return PackCatalog([load_pack(p) for p in [*found, *extra]])


def register(app: typer.Typer) -> None:
    pack_app = typer.Typer(help="Scenario packs / 场景包：列出、校验、新建。", no_args_is_help=True)
    app.add_typer(pack_app, name="pack")

    @pack_app.command("list")
    def list_packs(verbose: Annotated[bool, typer.Option("-v", help="Show tables / 显示数据表")] = False) -> None:
        """List packs / 列出场景包。"""
        catalog = _catalog([])
        table = Table("id", "名称 name", "领域 domain", "部门 department", "表 tables")
        for pack in sorted(catalog.packs.values(), key=lambda p: p.id):
            tables = sorted(pack.produces())
            table.add_row(pack.id, pack.spec.name, pack.spec.domain.value, pack.spec.department,
                          "\n".join(tables) if verbose else str(len(tables)))
        console.print(table)

    @pack_app.command("validate")
    def validate(path: Annotated[Path | None, typer.Argument(help="Pack folder / 场景包目录 (default: all)")] = None) -> None:
        """Validate packs / 校验场景包（YAML、SQL 引用、依赖）。"""
        catalog = _catalog([path.resolve()] if path else [])
        packs = [p for p in catalog.packs.values() if path is None or p.root == path.resolve()]
        for pack in packs:
            catalog.dag  # builds the DAG: cycles are found here
            console.print(f"[green]✓[/] {pack.id} ({pack.spec.name}): "
                          f"{len(pack.spec.sources)} 个数据源 sources, {len(pack.models)} 个模型 models")

    @pack_app.command("new")
    def new(
        pack_id: Annotated[str, typer.Argument(help="Pack id, lower_snake_case / 场景包标识")],
        directory: Annotated[Path, typer.Option("--dir", help="Parent folder / 上级目录")] = Path("packs"),
        name: Annotated[str | None, typer.Option(help="Chinese name / 中文名称")] = None,
    ) -> None:
        """Scaffold a working pack / 新建可运行的场景包骨架。"""
        root = scaffold(directory / pack_id, pack_id, name or pack_id)
        load_pack(root)  # the scaffold must itself validate
        console.print(f"已创建场景包 created pack [bold]{pack_id}[/] in {root}")
        console.print("下一步 next: edit pack.yaml and models/, then `lingshu pack validate` and `lingshu run`")
