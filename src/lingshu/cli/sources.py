"""``lingshu sources``: the integration list (数据对接清单) of a pack, or of every pack."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.core.errors import ConfigError
from lingshu.ingest.integration import FORMATS, integration_list


def register(app: typer.Typer) -> None:
    @app.command("sources")
    def sources(
        pack_id: Annotated[str | None, typer.Argument(help="Pack id; all packs if absent / 场景包标识")] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, json or markdown / 输出格式")] = "table",
    ) -> None:
        """Integration list: every source, its provider, frequency, fields, volume and status / 数据对接清单。"""
        if fmt != "table" and fmt not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}", hint=f"use table, {', '.join(FORMATS)}")
        with open_context() as ctx:
            packs = [ctx.catalog.get(pack_id)] if pack_id else list(ctx.catalog.packs.values())
            items = integration_list(packs, ctx.state)
        if fmt != "table":
            # Plain stdout, not Rich: the output is for files and other programs.
            typer.echo(FORMATS[fmt](items), nl=False)
            return
        table = Table(title=f"数据对接清单 integration list · {pack_id or 'all packs'}")
        for col in ("数据源 source", "提供部门 provider", "类型 kind", "目标表 target", "频率 frequency",
                    "方式 mode", "字段 fields", "近期量 read/quar.", "状态 status"):
            table.add_column(col)
        for i in items:
            colour = "green" if i.status.endswith("ok") else "yellow" if "never" in i.status else "red"
            table.add_row(f"{i.pack}.{i.source}" + (f"\n{i.title}" if i.title else ""), i.provider, i.kind,
                          i.target, i.frequency, i.incremental, str(len(i.fields)), i.volume or "-",
                          f"[{colour}]{i.status}[/]")
        console.print(table)
        for i in items:
            if i.last_error:
                console.print(f"[red]{i.pack}.{i.source}[/]: {i.last_error}", highlight=False)
