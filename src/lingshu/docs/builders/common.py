"""Small helpers the builders share: schedule in words, run summaries, table titles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lingshu.docs.facts import STATUS_TEXT, Facts, local
from lingshu.docs.model import Paragraph, Table

WEEKDAYS = {"0": "周日", "1": "周一", "2": "周二", "3": "周三", "4": "周四", "5": "周五", "6": "周六", "7": "周日"}


def schedule_text(facts: Facts) -> str:
    """The pack's schedule in words, with the cron expression it comes from."""
    sched = facts.spec.schedule
    if sched is None:
        return "未设定定时调度（手动运行）"
    minute, hour, dom, month, dow = (sched.cron.split() + ["*"] * 5)[:5]
    words = f"cron {sched.cron}（{sched.timezone}）"
    if minute.isdigit() and hour.isdigit() and month == "*":
        at = f"{int(hour):02d}:{int(minute):02d}"
        if dom == "*" and dow == "*":
            return f"每天 {at} 自动更新；{words}"
        if dom == "*" and dow in WEEKDAYS:
            return f"每{WEEKDAYS[dow]} {at} 自动更新；{words}"
        if dom.isdigit() and dow == "*":
            return f"每月 {dom} 日 {at} 自动更新；{words}"
    return f"按计划自动更新：{words}"


def next_runs(facts: Facts, count: int = 3) -> list[str]:
    sched = facts.spec.schedule
    if sched is None:
        return []
    from lingshu.core.errors import LingshuError
    from lingshu.ops.cron import Cron

    try:
        cron = Cron.parse(sched.cron, sched.timezone)
    except LingshuError as exc:
        return [f"调度表达式有误：{exc.message}"]
    out, at = [], dt.datetime.now(dt.UTC)
    for _ in range(count):
        at = cron.next_after(at)
        out.append(local(at))
    return out


def status(value: str | None) -> str:
    return STATUS_TEXT.get(value or "", value or "")


def run_summary(facts: Facts) -> dict[str, Any]:
    """Counts over the pack's pipeline runs (not quality-only checks)."""
    runs = facts.pipeline_runs
    ok = sum(r["status"] == "success" for r in runs)
    return {"runs": len(runs), "success": ok, "failed": sum(r["status"] == "failed" for r in runs),
            "rate": f"{100.0 * ok / len(runs):.1f}%" if runs else "—",
            "first": local(runs[-1]["started_at"]) if runs else "—",
            "last": local(runs[0]["started_at"]) if runs else "—"}


def runs_table(facts: Facts, limit: int = 20) -> Table:
    rows = [[r["id"], r["kind"], r["trigger"], r["user"] or "", status(r["status"]), local(r["started_at"]),
             local(r["ended_at"]), (r["error"] or "")[:200]] for r in facts.runs[:limit]]
    return Table(["编号", "类型", "触发方式", "执行人", "状态", "开始时间", "结束时间", "错误信息"], rows,
                 caption=f"最近 {min(limit, len(facts.runs))} 次运行（共 {len(facts.runs)} 次）", empty="尚无运行记录")


def never_ran(facts: Facts) -> list[Paragraph]:
    """The 'no runs yet' remark, or nothing when the pack has run."""
    return [] if facts.ran else [Paragraph(facts.never_ran_note(), note=True)]


def table_title(facts: Facts, name: str) -> str:
    info = facts.table(name)
    if info is not None:
        return info.title
    if name in facts.ctx.catalog.producers:
        node = facts.ctx.catalog.node(name)
        spec = getattr(node, "spec", node)
        return getattr(spec, "title", None) or ""
    return ""


def num(value: Any) -> str:
    return "—" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
