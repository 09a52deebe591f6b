"""``lingshu metric``: query an indicator, or list the indicator catalog (指标清单)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.core.errors import ConfigError
from lingshu.indicators.spec import IndicatorQuery


def _filters(where: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in where:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ConfigError(f"--where {item!r} is not DIMENSION=VALUE", hint="e.g. --where town=南汇新城镇 (a,b for several)")
        out[name.strip()] = value.split(",") if "," in value else value
    return out


def register(app: typer.Typer) -> None:
    @app.command("metric")
    def metric(
        indicator: Annotated[str | None, typer.Argument(help="Indicator id / 指标标识 (pack.id or id)")] = None,
        by: Annotated[list[str] | None, typer.Option("--by", help="Dimension / 维度 (repeatable)")] = None,
        grain: Annotated[str | None, typer.Option(help="15min|hour|day|week|month|quarter|year / 时间粒度")] = None,
        start: Annotated[str | None, typer.Option("--from", help="Start, inclusive / 开始时间 (ISO)")] = None,
        end: Annotated[str | None, typer.Option("--to", help="End, exclusive / 结束时间 (ISO)")] = None,
        where: Annotated[list[str] | None, typer.Option("--where", help="DIMENSION=VALUE / 筛选")] = None,
        list_all: Annotated[bool, typer.Option("--list", help="List the indicator catalog / 列出指标")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="JSON output / 输出 JSON")] = False,
        show_sql: Annotated[bool, typer.Option("--sql", help="Print the compiled SQL / 显示 SQL")] = False,
    ) -> None:
        """Query indicators / 查询指标（口径统一，一处定义）。"""
        with open_context() as ctx:
            if list_all or indicator is None:
                rows = ctx.indicators.catalog()
                if as_json:
                    console.print_json(json.dumps(rows, ensure_ascii=False))
                    return
                table = Table("指标 key", "名称 name", "口径 definition", "度量 measure", "维度 dims", "粒度 grains",
                              "单位 unit", "版本 v")
                for r in rows:
                    table.add_row(r["key"], r["name"], r["definition"], r["measure"], ", ".join(r["dimensions"]),
                                  ", ".join(r["grains"]), r["unit"], str(r["version"]))
                console.print(table)
                return
            query = IndicatorQuery.model_validate({
                "indicator": indicator, "dimensions": by or [], "grain": grain, "start": start, "end": end,
                "filters": _filters(where or []),
            })
            result = ctx.indicators.query(query)
            if as_json:
                console.print_json(json.dumps({**result.meta(), "rows": result.table.to_pylist()},
                                              ensure_ascii=False, default=str))
                return
            meta = result.meta()
            console.print(f"[bold]{meta['name']}[/] ({meta['indicator']}, v{meta['version']}) · {meta['unit']}")
            console.print(f"口径 definition: {meta['definition']}", highlight=False)
            console.print(f"来源 source: {meta['source']}", highlight=False)
            table = Table(*result.table.column_names)
            for row in result.table.to_pylist():
                table.add_row(*("" if v is None else str(v) for v in row.values()))
            console.print(table)
            if show_sql:
                console.print(result.sql, highlight=False)
