"""``lingshu scheduler | backfill | incident | backup | restore | report``: 数据运维.

Operators act as ``cli:<os user>`` (as in ``lingshu user``); incident changes and backups are audited.
"""

from __future__ import annotations

import getpass
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.ops import Ops
from lingshu.ops.scheduler import JobOutcome
from lingshu.ops.timeutil import SHANGHAI, local_text

STATUS_COLOURS = {"success": "green", "failed": "red", "skipped": "yellow", "taken": "dim"}


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _print_outcomes(outcomes: list[JobOutcome]) -> None:
    for o in outcomes:
        colour = STATUS_COLOURS.get(o.status, "white")
        extra = f" run #{o.run_id}" if o.run_id else ""
        console.print(f"[{colour}]{o.status:8}[/] {o.job} {o.slot} ({o.kind}, {o.attempts} 次){extra}"
                      + (f" — {o.detail[:160]}" if o.detail else ""), highlight=False)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date like 2026-03-01") from None


def register(app: typer.Typer) -> None:
    incident_app = typer.Typer(help="Incidents and the incident library / 故障事件与案例库。", no_args_is_help=True)
    report_app = typer.Typer(help="Operations reports and the update log / 运维报告与数据更新日志。", no_args_is_help=True)
    app.add_typer(incident_app, name="incident")
    app.add_typer(report_app, name="report")

    @app.command("scheduler")
    def scheduler(once: Annotated[bool, typer.Option("--once", help="One pass, then exit / 只检查一次")] = False) -> None:
        """Run packs on their schedules (Asia/Shanghai) / 按计划调度场景包。"""
        with open_context() as ctx:
            sched = Ops(ctx).scheduler()
            if not once:
                console.print(f"调度器已启动 scheduler {sched.locks.owner}，每 {sched.config.tick_seconds:g} 秒检查；Ctrl+C 停止")
            try:
                sched.loop(once=once, on_tick=_print_outcomes)
            except KeyboardInterrupt:
                console.print("调度器已停止 stopped")

    @app.command("backfill")
    def backfill(
        pack_id: Annotated[str, typer.Argument(help="Pack id / 场景包标识")],
        start: Annotated[str, typer.Option("--from", help="First day, e.g. 2026-03-01 / 起始日期")],
        end: Annotated[str, typer.Option("--to", help="Last day (inclusive) / 结束日期（含）")],
    ) -> None:
        """Run every scheduled time in a date range once / 补数：按计划时间逐次补跑。"""
        with open_context() as ctx:
            outcomes = Ops(ctx).scheduler(with_system_jobs=False).backfill(pack_id, _day(start), _day(end))
            _print_outcomes(outcomes)
        if any(o.status == "failed" for o in outcomes):
            raise typer.Exit(1)

    # -- incidents ------------------------------------------------------------------------------
    @incident_app.command("list")
    def incident_list(
        status: Annotated[str | None, typer.Option(help="open, acknowledged, resolved, closed")] = None,
        grade: Annotated[str | None, typer.Option(help="紧急/严重/一般 or urgent/serious/general")] = None,
        query: Annotated[str | None, typer.Option("--search", "-q", help="Words to find / 检索词")] = None,
        limit: int = 50,
    ) -> None:
        """List or search incidents / 查询故障事件。"""
        with open_context() as ctx:
            rows = Ops(ctx).incidents.list(status=status, grade=grade, query=query, limit=limit)
        table = Table("#", "等级", "状态", "事件", "发生", "响应", "恢复", title="故障事件 incidents")
        for i in rows:
            table.add_row(str(i["id"]), i["grade_label"], i["status"], i["title"][:60], local_text(i["opened_at"]),
                          i["response_sla"], i["recovery_sla"])
        console.print(table)

    @incident_app.command("show")
    def incident_show(incident_id: int) -> None:
        """Show one incident / 查看事件详情。"""
        with open_context() as ctx:
            i = Ops(ctx).incidents.get(incident_id)
        for key in ("id", "grade_label", "status", "kind", "rule", "title", "summary", "source", "occurrences"):
            console.print(f"[bold]{key}[/]: {i[key]}", highlight=False)
        for key in ("opened_at", "response_due", "acknowledged_at", "recovery_due", "resolved_at", "closed_at"):
            console.print(f"[bold]{key}[/]: {local_text(i[key])}", highlight=False)
        console.print(f"[bold]SLA[/]: 响应 {i['response_sla']}，恢复 {i['recovery_sla']}")
        for key in ("cause", "fix"):
            console.print(f"[bold]{key}[/]: {i[key] or ''}", highlight=False)

    def _move(action: str, incident_id: int, **kwargs: str) -> None:
        with open_context() as ctx:
            ops = Ops(ctx)
            row = getattr(ops.incidents, action)(incident_id, _actor(), **kwargs)
            ctx.security.audit.record(_actor(), f"incident.{action}", f"incident:{incident_id}")
        console.print(f"事件 #{incident_id}: {row['status']}（响应 {row['response_sla']}，恢复 {row['recovery_sla']}）")

    @incident_app.command("ack")
    def incident_ack(incident_id: int) -> None:
        """Acknowledge: the response clock stops / 确认响应。"""
        _move("acknowledge", incident_id)

    @incident_app.command("resolve")
    def incident_resolve(
        incident_id: int,
        cause: Annotated[str, typer.Option("--cause", help="Root cause / 故障原因")],
        fix: Annotated[str, typer.Option("--fix", help="What fixed it / 处理措施")],
    ) -> None:
        """Resolve with cause and fix: the recovery clock stops / 恢复并记录原因与措施。"""
        _move("resolve", incident_id, cause=cause, fix=fix)

    @incident_app.command("close")
    def incident_close(incident_id: int) -> None:
        """Close a resolved incident into the library / 关闭归档。"""
        _move("close", incident_id)

    # -- backups --------------------------------------------------------------------------------
    @app.command("backup")
    def backup(
        to: Annotated[Path | None, typer.Option("--to", help="Folder for the backup (default: workspace backups/)")] = None,
        list_: Annotated[bool, typer.Option("--list", help="List backups / 列出备份")] = False,
    ) -> None:
        """Back up the warehouse and the state store / 备份数据仓库与状态库。"""
        with open_context() as ctx:
            ops = Ops(ctx)
            if list_:
                table = Table("label", "status", "size", "created", title="备份 backups")
                for b in ops.backups.list():
                    table.add_row(b["label"], b["status"], f"{(b['size_bytes'] or 0) / 1e6:.1f} MB",
                                  local_text(b["created_at"]))
                console.print(table)
                return
            result = ops.backups.create(to, by=_actor())
        console.print(f"备份完成 {result.status}: {result.path} ({result.size_bytes / 1e6:.1f} MB)")
        for part, info in result.parts.items():
            if "skipped" in info:
                console.print(f"[yellow]{part} 未备份[/]: {info['skipped']}", highlight=False)

    @app.command("restore")
    def restore(
        backup_name: Annotated[str, typer.Argument(help="Backup label or folder / 备份名或目录")],
        state: Annotated[bool, typer.Option("--state", help="Also roll the state store back / 同时恢复状态库")] = False,
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask / 不再确认")] = False,
    ) -> None:
        """Restore the warehouse (and optionally the state store) from a backup / 从备份恢复。"""
        parts = ("warehouse", "state") if state else ("warehouse",)
        if not yes:
            typer.confirm(f"用备份 {backup_name} 覆盖当前{'数据仓库和状态库' if state else '数据仓库'}？", abort=True)
        with open_context() as ctx:
            manifest = Ops(ctx).backups.restore(backup_name, parts=parts, by=_actor())
        console.print(f"已恢复 restored {', '.join(parts)} from {manifest['label']}")

    # -- reports --------------------------------------------------------------------------------
    @report_app.command("ops")
    def report_ops(
        period: Annotated[str, typer.Option(help="week or month / 周报或月报")] = "week",
        day: Annotated[str | None, typer.Option("--date", help="A day in the period (default today)")] = None,
        out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML file to write")] = None,
    ) -> None:
        """数据运维报告 as HTML / 生成数据运维报告。"""
        from lingshu.ops.reports import write_ops_report

        with open_context() as ctx:
            path = write_ops_report(Ops(ctx), period, _day(day) if day else datetime.now(SHANGHAI).date(), out)
        console.print(f"数据运维报告: {path}")

    @report_app.command("updates")
    def report_updates(
        out: Annotated[Path, typer.Option("--out", "-o", help="File to write: .csv or .xlsx")],
        start: Annotated[str | None, typer.Option("--from", help="First day / 起始日期")] = None,
        end: Annotated[str | None, typer.Option("--to", help="Last day, inclusive / 结束日期")] = None,
        pack_id: Annotated[str | None, typer.Option("--pack", "-p")] = None,
    ) -> None:
        """Export the update log (数据更新日志) / 导出数据更新日志。"""
        from datetime import timedelta

        from lingshu.ops.reports import export_update_log

        since = datetime.combine(_day(start), time(0), SHANGHAI) if start else None
        until = datetime.combine(_day(end) + timedelta(days=1), time(0), SHANGHAI) if end else None
        with open_context() as ctx:
            count = export_update_log(Ops(ctx), out, start=since, end=until, pack=pack_id)
        console.print(f"数据更新日志 {count} 行: {out}")
