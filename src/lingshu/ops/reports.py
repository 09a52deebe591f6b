"""数据运维报告 (weekly or monthly operations report) and 数据更新日志 (update log) exports.

The report is one self-contained HTML file (inline CSS and SVG, no external asset), in Chinese,
computed from the state store only: runs and scheduled jobs, data volumes from the update log,
incidents with their SLA outcomes, and quality trends (quality checks and quarantine rates).
The documents package turns the same ``collect`` result into .docx.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from jinja2 import Environment, PackageLoader, select_autoescape

from lingshu import __version__
from lingshu.core.registry import Registry
from lingshu.ops.config import GRADE_LABELS, Grade
from lingshu.ops.errors import OpsError
from lingshu.ops.timeutil import SHANGHAI, as_utc, local_text
from lingshu.state.schema import job_runs, quality_runs, runs, table_updates

if TYPE_CHECKING:
    from lingshu.ops.service import Ops


@dataclass(frozen=True)
class Period:
    kind: str  # week | month
    start: datetime  # aware, Beijing midnight
    end: datetime  # exclusive
    label: str


def _week(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday, time(0), SHANGHAI)
    iso = monday.isocalendar()
    return Period("week", start, start + timedelta(days=7),
                  f"{iso.year}年第{iso.week}周（{monday:%m月%d日}—{monday + timedelta(days=6):%m月%d日}）")


def _month(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period("month", datetime.combine(first, time(0), SHANGHAI), datetime.combine(following, time(0), SHANGHAI),
                  f"{first.year}年{first.month}月")


PERIODS: Registry[Any] = Registry("report period")
PERIODS.add("week", _week)
PERIODS.add("month", _month)


def period_of(kind: str, day: date) -> Period:
    """The calendar week (Monday to Sunday) or month, Beijing time, that contains ``day``."""
    return PERIODS.get(kind)(day)


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def collect(ops: Ops, period: Period) -> dict[str, Any]:
    engine = ops.store.engine
    start, end = period.start, period.end
    with engine.connect() as c:
        run_rows = [dict(r._mapping) for r in c.execute(
            sa.select(runs).where(runs.c.started_at >= start, runs.c.started_at < end))]
        updates = [dict(r._mapping) for r in c.execute(
            sa.select(table_updates).where(table_updates.c.started_at >= start, table_updates.c.started_at < end)
            .order_by(table_updates.c.id))]
        jobs = [dict(r._mapping) for r in c.execute(
            sa.select(job_runs).where(job_runs.c.scheduled_for >= start, job_runs.c.scheduled_for < end))]
        checks = [dict(r._mapping) for r in c.execute(
            sa.select(quality_runs).where(quality_runs.c.started_at >= start, quality_runs.c.started_at < end))]

    def day_of(ts: datetime) -> str:
        return as_utc(ts).astimezone(SHANGHAI).strftime("%m-%d")

    per_pack: dict[str, dict[str, Any]] = defaultdict(lambda: {"runs": 0, "success": 0, "failed": 0, "seconds": 0.0})
    per_day: dict[str, dict[str, int]] = defaultdict(lambda: {"runs": 0, "success": 0})
    for r in run_rows:
        p = per_pack[r["pack"]]
        p["runs"] += 1
        ok = r["status"] == "success"
        p["success"] += ok
        p["failed"] += r["status"] == "failed"
        if r["ended_at"]:
            p["seconds"] += (as_utc(r["ended_at"]) - as_utc(r["started_at"])).total_seconds()
        d = per_day[day_of(r["started_at"])]
        d["runs"] += 1
        d["success"] += ok
    for p in per_pack.values():
        p["rate"] = _rate(p["success"], p["runs"])
        p["avg_seconds"] = round(p["seconds"] / p["runs"], 1) if p["runs"] else None

    volumes: dict[str, dict[str, Any]] = defaultdict(lambda: {"updates": 0, "inserted": 0, "updated": 0, "deleted": 0,
                                                               "quarantined": 0, "read": 0, "rows": None})
    quality_days: dict[str, dict[str, Any]] = defaultdict(lambda: {"read": 0, "quarantined": 0, "checks": 0,
                                                                    "failed": 0, "scores": []})
    for u in updates:
        if u["status"] != "success":
            continue
        v = volumes[u["table_name"]]
        v["updates"] += 1
        for col in ("inserted", "updated", "deleted", "quarantined", "read"):
            v[col] += u[f"rows_{col}"] or 0
        v["rows"] = u["rows_after"]
        q = quality_days[day_of(u["started_at"])]
        q["read"] += u["rows_read"] or 0
        q["quarantined"] += u["rows_quarantined"] or 0
    for chk in checks:
        q = quality_days[day_of(chk["started_at"])]
        q["checks"] += 1
        q["failed"] += chk["status"] == "failed"
        if chk["score"] is not None:
            q["scores"].append(chk["score"])
    quality = [{"day": d, "quarantine_rate": _rate(q["quarantined"], q["read"]), "checks": q["checks"],
                "failed": q["failed"], "score": round(sum(q["scores"]) / len(q["scores"]), 1) if q["scores"] else None}
               for d, q in sorted(quality_days.items())]

    incidents = ops.incidents.list(since=start, until=end, limit=10000)
    by_grade = []
    for grade in Grade:
        rows = [i for i in incidents if i["grade"] == grade.value]
        answered = [i for i in rows if i["response_sla"] != "pending"]
        recovered = [i for i in rows if i["recovery_sla"] != "pending"]
        sla = ops.config.incidents.grades[grade]
        by_grade.append({
            "label": GRADE_LABELS[grade], "count": len(rows), "meaning": sla.meaning,
            "deadlines": f"{sla.response_minutes} 分钟 / {sla.recovery_minutes / 60:g} 小时",
            "response_met": _rate(sum(i["response_sla"] == "met" for i in answered), len(answered)),
            "recovery_met": _rate(sum(i["recovery_sla"] == "met" for i in recovered), len(recovered)),
            "open": sum(i["status"] in ("open", "acknowledged") for i in rows)})

    total = len(run_rows)
    success = sum(r["status"] == "success" for r in run_rows)
    return {
        "period": period, "generated_at": local_text(ops.clock()), "workspace": ops.ctx.workspace.config.name,
        "version": __version__,
        "summary": {"runs": total, "success": success, "rate": _rate(success, total),
                    "scheduled": sum(j["kind"] == "schedule" for j in jobs),
                    "skipped": sum(j["status"] == "skipped" for j in jobs),
                    "retried": sum((j["attempts"] or 0) > 1 for j in jobs),
                    "tables": len(volumes),
                    "rows_changed": sum(v["inserted"] + v["updated"] + v["deleted"] for v in volumes.values()),
                    "incidents": len(incidents)},
        "packs": sorted(per_pack.items()),
        "days": [{"day": d, **v, "rate": _rate(v["success"], v["runs"])} for d, v in sorted(per_day.items())],
        "volumes": sorted(volumes.items()),
        "incidents": incidents, "by_grade": by_grade, "quality": quality,
    }


_ENV = Environment(loader=PackageLoader("lingshu.ops", "templates"), autoescape=select_autoescape(["html", "j2"]))
_ENV.filters["local"] = local_text
_ENV.filters["pct"] = lambda v: "—" if v is None else f"{v:g}%"


def render_ops_report(ops: Ops, period: Period) -> str:
    return _ENV.get_template("ops_report.html.j2").render(**collect(ops, period))


def write_ops_report(ops: Ops, kind: str, day: date, out: Path | None = None) -> Path:
    period = period_of(kind, day)
    out = out or ops.ctx.workspace.root / "reports" / f"数据运维报告_{period.kind}_{period.start:%Y%m%d}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_ops_report(ops, period), encoding="utf-8")
    return out


# -- 数据更新日志 export ----------------------------------------------------------------------------
UPDATE_LOG_COLUMNS = [
    ("run_id", "运行编号"), ("pack", "场景包"), ("trigger", "触发方式"), ("table_name", "表"), ("step", "步骤"),
    ("status", "状态"), ("started_at", "开始时间"), ("ended_at", "结束时间"), ("rows_before", "更新前行数"),
    ("rows_after", "更新后行数"), ("rows_inserted", "新增"), ("rows_updated", "更新"), ("rows_deleted", "删除"),
    ("rows_read", "读取"), ("rows_quarantined", "隔离"), ("error", "错误信息"),
]


def update_log(ops: Ops, start: datetime | None = None, end: datetime | None = None,
               pack: str | None = None) -> list[dict[str, Any]]:
    q = (sa.select(table_updates, runs.c.pack, runs.c.trigger).join(runs, runs.c.id == table_updates.c.run_id)
         .order_by(table_updates.c.id))
    if start:
        q = q.where(table_updates.c.started_at >= start)
    if end:
        q = q.where(table_updates.c.started_at < end)
    if pack:
        q = q.where(runs.c.pack == pack)
    with ops.store.engine.connect() as c:
        rows = [dict(r._mapping) for r in c.execute(q)]
    for row in rows:  # people read Beijing time
        row["started_at"], row["ended_at"] = local_text(row["started_at"]), local_text(row["ended_at"])
    return rows


def _csv(rows: list[dict[str, Any]], path: Path) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([title for _, title in UPDATE_LOG_COLUMNS])
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c, _ in UPDATE_LOG_COLUMNS])
    path.write_text(buf.getvalue(), encoding="utf-8-sig")  # BOM: Excel on Windows opens UTF-8 correctly


def _xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "数据更新日志"
    sheet.append([title for _, title in UPDATE_LOG_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] for c, _ in UPDATE_LOG_COLUMNS])
    sheet.freeze_panes = "A2"
    book.save(path)


EXPORTERS: Registry[Any] = Registry("update log format")
EXPORTERS.add("csv", _csv)
EXPORTERS.add("xlsx", _xlsx)


def export_update_log(ops: Ops, path: Path, *, start: datetime | None = None, end: datetime | None = None,
                      pack: str | None = None) -> int:
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in EXPORTERS:
        raise OpsError(f"cannot export the update log as {path.suffix or 'a file without extension'}",
                       hint=f"name the file .{' or .'.join(EXPORTERS)}")
    rows = update_log(ops, start, end, pack)
    path.parent.mkdir(parents=True, exist_ok=True)
    EXPORTERS.get(fmt)(rows, path)
    return len(rows)
