"""The integration list (数据对接清单): every source the packs declare, with how it is doing.

Generated, never hand-kept: provider, kind, location, frequency, fields, the volume of the last
runs (from the update log) and the current status. Bad options show up here as a status, so the
list doubles as a pre-flight check before a pack is scheduled.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from lingshu.connectors import CONNECTORS
from lingshu.connectors.base import parse_options
from lingshu.core.errors import LingshuError
from lingshu.ingest.incremental import incremental_options
from lingshu.pack.loader import Pack
from lingshu.pack.spec import SourceSpec
from lingshu.state.store import StateStore

RUNS_SHOWN = 5


@dataclass
class RunVolume:
    run_id: int
    status: str
    rows_read: int | None
    rows_loaded: int | None  # rows in the ODS table after the run
    rows_quarantined: int | None
    started_at: str


@dataclass
class IntegrationEntry:
    pack: str
    source: str
    title: str
    provider: str
    kind: str
    target: str
    location: str
    frequency: str
    incremental: str
    fields: list[str]
    status: str  # 正常 ok | 失败 failed | 未运行 never run | 配置错误 bad options
    last_error: str | None = None
    last_runs: list[RunVolume] = field(default_factory=list)
    watermark: str | None = None

    @property
    def volume(self) -> str:
        """The last runs as 'read/quarantined', newest first."""
        return ", ".join(f"{r.rows_read or 0}/{r.rows_quarantined or 0}" for r in self.last_runs)


def _location(source: SourceSpec) -> str:
    opts = source.options
    if source.path:
        return source.path
    if "url" in opts:
        # SQL URLs in packs carry no password (the connector refuses them), so this is safe to show.
        target = opts.get("table") or ("query" if opts.get("query") else "")
        return f"{opts['url']} {target}".strip()
    if "url_secret" in opts:
        return f"(secret {opts['url_secret']}) {opts.get('table') or 'query'}"
    return ""


def _frequency(source: SourceSpec, pack: Pack) -> str:
    if source.options.get("frequency"):
        return str(source.options["frequency"])
    if pack.spec.schedule:
        return f"cron {pack.spec.schedule.cron}"
    return "手动 manual"


def _incremental(source: SourceSpec) -> str:
    try:
        opts = incremental_options(source)
    except LingshuError:
        return "?"
    if opts is None:
        return "全量 full"
    return f"增量 watermark({opts.column})" if opts.mode == "watermark" else "增量 new files"


def _check(source: SourceSpec) -> str | None:
    try:
        parse_options(CONNECTORS.get(source.kind).options, source)
    except LingshuError as exc:
        return exc.message
    return None


def entry(pack: Pack, source: SourceSpec, store: StateStore | None) -> IntegrationEntry:
    fields = [f"{c.name}({c.title}):{c.type}" if c.title else f"{c.name}:{c.type}" for c in source.columns]
    item = IntegrationEntry(
        pack=pack.id, source=source.name, title=source.title or "", provider=source.provider or pack.spec.department,
        kind=source.kind, target=source.target, location=_location(source), frequency=_frequency(source, pack),
        incremental=_incremental(source), fields=fields, status="未运行 never run")
    problem = _check(source)
    if problem:
        item.status, item.last_error = "配置错误 bad options", problem
        return item
    if store is None:
        return item
    updates = store.recent_updates(source.target, step="ingest", limit=RUNS_SHOWN)
    item.last_runs = [RunVolume(u["run_id"], u["status"], u["rows_read"], u["rows_after"], u["rows_quarantined"],
                                u["started_at"].isoformat(timespec="seconds") if u["started_at"] else "")
                      for u in updates]
    if updates:
        last = updates[0]
        item.status = {"success": "正常 ok", "failed": "失败 failed", "skipped": "跳过 skipped"}.get(
            last["status"], last["status"])
        item.last_error = last["error"]
    mark = store.watermark(source.target)
    if mark:
        item.watermark = f"{mark['column_name']} > {mark['value']}"
    return item


def integration_list(packs: list[Pack], store: StateStore | None) -> list[IntegrationEntry]:
    return [entry(pack, source, store) for pack in packs for source in pack.spec.sources]


# -- output formats -----------------------------------------------------------------------------
COLUMNS = ("pack", "source", "title", "provider", "kind", "target", "location", "frequency", "incremental",
           "fields", "volume", "status", "watermark", "last_error")


def _flat(item: IntegrationEntry) -> dict[str, str]:
    row = {c: getattr(item, c) for c in COLUMNS}
    row["fields"] = "; ".join(item.fields)
    return {k: "" if v is None else str(v) for k, v in row.items()}


def to_csv(items: list[IntegrationEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_flat(i) for i in items)
    return out.getvalue()


def to_json(items: list[IntegrationEntry]) -> str:
    return json.dumps([{**asdict(i), "volume": i.volume} for i in items], ensure_ascii=False, indent=2, default=str)


def to_markdown(items: list[IntegrationEntry]) -> str:
    heads = ("场景包 pack", "数据源 source", "名称 title", "提供部门 provider", "类型 kind", "目标表 target",
             "位置 location", "频率 frequency", "方式 mode", "字段 fields", "近期量 read/quarantined",
             "状态 status")
    keys = ("pack", "source", "title", "provider", "kind", "target", "location", "frequency", "incremental",
            "fields", "volume", "status")

    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for item in items:
        row = _flat(item)
        lines.append("| " + " | ".join(cell(row[k]) for k in keys) + " |")
    return "\n".join(lines) + "\n"


FORMATS = {"csv": to_csv, "json": to_json, "markdown": to_markdown}
