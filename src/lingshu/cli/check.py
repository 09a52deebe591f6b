"""``lingshu check KIND VALUE...`` and ``lingshu coord``: the governance validators at the shell.

Both work without a workspace: they only need the validators, so a data steward can check a
code they were sent without setting anything up.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from lingshu.govern.coords import CRS, convert_point
from lingshu.govern.kinds import KINDS
from lingshu.govern.verdict import Verdict


def _console() -> Console:
    # Created per call (not at import) so output goes to whatever stdout is current (tests, pipes).
    return Console(width=200, highlight=False)


CrsName = Enum("CrsName", {n: n for n in CRS}, type=str)  # type: ignore[misc]


def _show(console: Console, v: Verdict) -> None:
    mark = "[green]✔ 有效 valid[/]" if v.valid else "[red]✘ 无效 invalid[/]"
    table = Table(title=f"{v.input!r} ({KINDS.get(v.kind).label}): {mark}", show_header=False,
                  title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value")
    if v.normalized is not None:
        table.add_row("标准化 normalized", str(v.normalized))
    for k, val in v.to_dict()["parts"].items():
        if val is not None:
            table.add_row(k, str(val))
    for e in v.errors:
        table.add_row("[red]问题 error[/]", e)
    if v.rules:
        table.add_row("规则 rules", ", ".join(v.rules))
    console.print(table)


# Module level: with postponed annotations Typer evaluates them in the module's globals.
KINDS_HELP = ", ".join(KINDS)


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        kind: Annotated[str, typer.Argument(help=f"Kind / 类型: {KINDS_HELP}")],
        values: Annotated[list[str], typer.Argument(help="Values to check / 待校验的值")],
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per value / 每行一个 JSON")] = False,
    ) -> None:
        """Validate codes / 校验编码：身份证号、统一社会信用代码、视频设备编码、项目代码、电话、日期、地址。

        Exit code 0 when every value is valid, 1 otherwise.
        """
        k = KINDS.get(kind)  # an unknown kind raises ConfigError listing the kinds that exist
        console = _console()
        verdicts = [k.check(v) for v in values]
        for v in verdicts:
            if as_json:
                typer.echo(json.dumps(v.to_dict(), ensure_ascii=False))
            else:
                _show(console, v)
        if not all(v.valid for v in verdicts):
            raise typer.Exit(1)

    @app.command("coord")
    def coord(
        lng: Annotated[float, typer.Argument(help="Longitude / 经度")],
        lat: Annotated[float, typer.Argument(help="Latitude / 纬度")],
        src: Annotated[CrsName, typer.Option("--from", help="Source CRS / 源坐标系")],
        dst: Annotated[CrsName, typer.Option("--to", help="Target CRS / 目标坐标系")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON / 输出 JSON")] = False,
    ) -> None:
        """Convert coordinates / 坐标转换：WGS-84、GCJ-02、BD-09、CGCS2000。"""
        x, y = convert_point(lng, lat, src.value, dst.value)
        console = _console()
        if as_json:
            typer.echo(json.dumps({"from": src.value, "to": dst.value, "lng": x, "lat": y}))
        else:
            console.print(f"{src.value} ({lng}, {lat}) -> {dst.value} ({x!r}, {y!r})")
