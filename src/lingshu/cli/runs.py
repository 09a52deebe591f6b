"""``lingshu run`` and ``lingshu runs`` (the update log, 数据更新日志)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.core.context import Context
from lingshu.core.errors import RunFailed
from lingshu.core.runner import RunReport


def run_with_progress(ctx: Context, pack_id: str, select: list[str] | None = None,
                      trigger: str = "manual", full_refresh: bool = False) -> RunReport:
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(pack_id, total=None)

        def progress(table: str, done: int, total: int) -> None:
            bar.update(task, description=f"{pack_id}: {table}", completed=done, total=total)

        report = ctx.run(pack_id, select=select, trigger=trigger, progress=progress, full_refresh=full_refresh)
    print_report(report)
    return report


def print_report(report: RunReport) -> None:
    table = Table(title=f"运行 run #{report.run_id} · {report.pack} · {report.status}")
    for col in ("表 table", "步骤 step", "状态 status", "读取 read", "写入后 rows", "新增 ins", "更新 upd",
                "删除 del", "隔离 quarantined"):
        table.add_column(col)
    for step in report.steps:
        u = step.update
        nums = ([u.rows_read, u.rows_after, u.rows_inserted, u.rows_updated, u.rows_deleted, u.rows_quarantined]
                if u else [None] * 6)
        colour = {"success": "green", "skipped": "yellow"}.get(step.status, "red")  # failed, failed-quality
        table.add_row(step.table, step.step, f"[{colour}]{step.status}[/]", *("" if n is None else str(n) for n in nums))
    console.print(table)
    for step in report.steps:
        if step.error:
            console.print(f"[red]{step.table}[/]: {step.error}", highlight=False)
        for r in step.quality.results if step.quality else ():
            if r.status != "passed":  # quality findings, warnings included (blocking ones are errors above)
                console.print(f"[yellow]质量 quality {step.table}.{r.rule_id}[/] ({r.severity.label}, "
                              f"{r.dimension.label}): {r.failed}/{r.checked} {r.error or ''}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        pack_id: Annotated[str, typer.Argument(help="Pack id / 场景包标识")],
        select: Annotated[list[str] | None, typer.Option(
            "--select", "-s", help="Tables to build: name, +name (with upstream), name+ (with downstream) / 选择模型")] = None,
        engine: Annotated[str | None, typer.Option(
            "--engine", "-e", help="Compute engine for this run: duckdb or spark (default: the workspace's "
                                   "engine setting) / 计算引擎")] = None,
        full_refresh: Annotated[bool, typer.Option(
            "--full-refresh", help="Reload incremental sources and rebuild incremental models / 全量重载")] = False,
    ) -> None:
        """Run a pack: ingest, models, update log / 运行场景包。"""
        with open_context(engine) as ctx:
            report = run_with_progress(ctx, pack_id, select, full_refresh=full_refresh)
        if report.status != "success":
            raise RunFailed(f"run #{report.run_id} of {pack_id} failed: {len(report.failed)} step(s)",
                            hint="read the errors above; tables not rebuilt keep their previous version")

    @app.command("runs")
    def runs(
        pack_id: Annotated[str | None, typer.Option("--pack", "-p", help="Only this pack / 仅此场景包")] = None,
        run_id: Annotated[int | None, typer.Option("--run", help="Show one run's tables / 显示某次运行的表")] = None,
        limit: Annotated[int, typer.Option(help="How many runs / 显示条数")] = 20,
    ) -> None:
        """Show runs and the update log / 查看运行记录与数据更新日志。"""
        with open_context() as ctx:
            if run_id is not None:
                rows = ctx.state.updates(run_id)
                table = Table(title=f"数据更新日志 update log · run #{run_id}")
                cols = ("table_name", "step", "status", "rows_before", "rows_after", "rows_inserted",
                        "rows_updated", "rows_deleted", "rows_read", "rows_quarantined", "error")
            else:
                rows = ctx.state.list_runs(pack_id, limit)
                table = Table(title="运行记录 runs")
                cols = ("id", "pack", "kind", "trigger", "approval", "status", "started_at", "ended_at", "error")
            for col in cols:
                table.add_column(col)
            for row in rows:
                table.add_row(*("" if row[c] is None else str(row[c])[:80] for c in cols))
            console.print(table)
