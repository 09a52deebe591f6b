"""The HTML quality report (数据质量核验文档) of a pack, rendered from the state store.

Everything comes from stored results (the latest check of each table, and its history for the
trend lines), so a report can be written at any time, not only straight after a check. The page
is self-contained: inline CSS, inline SVG sparklines, no external assets (the bureau is offline).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from statistics import mean
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from lingshu.govern.quality import results
from lingshu.govern.quality.registry import RULE_KINDS, ensure_loaded
from lingshu.govern.quality.spec import Dimension, RuleSpec, Severity
from lingshu.pack.loader import Pack

if TYPE_CHECKING:
    from lingshu.core.context import Context

TEMPLATES = Path(__file__).parent / "templates"
STATUS_LABELS = {"passed": "通过", "failed": "不通过", "error": "无法核验", "warning": "有警告"}
COMMON_KEYS = set(RuleSpec.model_fields)


def sparkline(values: list[float | None], width: int = 140, height: int = 28, *, lo: float | None = None,
              hi: float | None = None) -> Markup:
    """An inline SVG polyline of ``values`` (oldest first); a dot marks the latest value."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return Markup('<span class="muted">—</span>')
    vs = [v for _, v in points]
    lo = min(vs) if lo is None else lo
    hi = max(vs) if hi is None else hi
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return 2 + i * (width - 4) / n, height - 3 - (v - lo) * (height - 6) / span

    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in points))
    lx, ly = xy(*points[-1])
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f'<polyline fill="none" stroke="#2f6fb0" stroke-width="1.5" points="{coords}"/>'
        f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.5" fill="#2f6fb0"/></svg>')


def _rule_score(row: dict[str, Any]) -> float | None:
    if row["status"] == "error":
        return 0.0
    return None if not row["checked"] else 100.0 * (1.0 - row["ratio"])


def _dimension_scores(rows: list[dict[str, Any]]) -> dict[str, float]:
    out = {}
    for dim in Dimension:
        scores = [s for r in rows if r["dimension"] == dim.value and (s := _rule_score(r)) is not None]
        if scores:
            out[dim.value] = round(mean(scores), 2)
    return out


def _params(rule: RuleSpec) -> str:
    data = rule.model_dump(exclude=COMMON_KEYS, exclude_none=True, mode="json")
    return json.dumps(data, ensure_ascii=False)[1:-1] if data else ""


def _table_view(ctx: Context, pack: Pack, table: str, rules: list[RuleSpec]) -> dict[str, Any]:
    store = ctx.state
    hist = results.history(store, table)
    latest = hist[-1] if hist else None
    stored = {r["rule_id"]: r for r in results.results_of(store, latest["id"])} if latest else {}
    node = pack.produces().get(table)
    title = getattr(node, "title", None) or getattr(getattr(node, "spec", None), "title", None) or ""
    views = []
    for rule in rules:
        row = stored.get(rule.id or "")
        sample = row["sample"] if row else []
        views.append({
            "id": rule.id, "description": rule.description or "", "kind": RULE_KINDS.get(rule.kind).label,
            "kind_id": rule.kind, "params": _params(rule), "where": rule.where,
            "dimension": rule.dimension.label if rule.dimension else "",
            "severity": rule.severity.label, "blocking": rule.severity is Severity.blocking,
            "tolerance": rule.tolerance, "result": row,
            "status": STATUS_LABELS.get(row["status"], row["status"]) if row else "未核验",
            "status_id": row["status"] if row else "none",
            "columns": list(sample[0]) if sample else [], "sample": sample,
            "trend": sparkline(results.rule_history(store, table, rule.id or ""), lo=0.0),
        })
    return {
        "name": table, "title": title, "latest": latest, "rules": views,
        "status": STATUS_LABELS.get(latest["status"], latest["status"]) if latest else "未核验",
        "status_id": latest["status"] if latest else "none",
        "dims": [(d.label, latest["dimension_scores"].get(d.value)) for d in Dimension] if latest else [],
        "trend": sparkline([h["score"] for h in hist], lo=0.0, hi=100.0),
        "history": hist, "stored": list(stored.values()),
    }


def render(ctx: Context, pack: Pack) -> str:
    ensure_loaded()
    tables = [_table_view(ctx, pack, t, rules) for t, rules in (pack.rules.tables.items() if pack.rules else [])]
    latest_rows = [r for t in tables for r in t["stored"]]
    dims = _dimension_scores(latest_rows)
    # Pack score per check run (the runs that checked any of its tables), for the overall trend.
    by_run: dict[Any, list[float]] = {}
    for t in tables:
        for h in t["history"]:
            if h["score"] is not None:
                by_run.setdefault(h["run_id"], []).append(h["score"])
    trend = [mean(v) for _, v in sorted(by_run.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html.j2").render(
        pack=pack.spec, generated=datetime.now().strftime("%Y-%m-%d %H:%M"), tables=tables,
        dims=[(d.label, d.value, dims.get(d.value)) for d in Dimension],
        score=round(mean(dims.values()), 2) if dims else None, trend=sparkline(trend[-20:], lo=0.0, hi=100.0),
        totals={"rules": sum(len(t["rules"]) for t in tables),
                "passed": sum(1 for r in latest_rows if r["status"] == "passed"),
                "failed": sum(1 for r in latest_rows if r["status"] == "failed"),
                "error": sum(1 for r in latest_rows if r["status"] == "error"),
                "blocking": sum(1 for r in latest_rows if r["status"] != "passed" and r["severity"] == "blocking")},
    )


def write_report(ctx: Context, pack: Pack, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(ctx, pack), encoding="utf-8")
    return path
