"""``Facts``: everything a document may say about one pack, read once from the pack and the records.

Builders ask here rather than querying on their own, so two documents never disagree about a
count, and a pack that never ran reads as "未运行" everywhere instead of crashing somewhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lingshu.models.sql import SqlModel
from lingshu.pack.loader import Pack
from lingshu.pack.spec import ColumnSpec, SourceSpec
from lingshu.state.schema import runs, table_updates

if TYPE_CHECKING:
    from lingshu.core.context import Context
    from lingshu.docs.raster import Browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAYER_TEXT = {"ods": "贴源层 ODS", "dwd": "明细层 DWD", "dws": "汇总层 DWS", "ads": "应用层 ADS"}
STATUS_TEXT = {"success": "成功", "failed": "失败", "running": "运行中", "skipped": "跳过", "partial": "部分成功",
               "passed": "通过", "warning": "有警告", "error": "无法核验", "failed-quality": "质量阻断"}
NEVER_RAN = "该场景包尚无运行记录：以下运行数据项为空，运行 `lingshu run {pack}` 后重新生成本文档即可填入。"


def local(value: Any) -> str:
    """A stored UTC time as Beijing time text (people read Beijing time)."""
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class TableInfo:
    """One table of the pack: declared metadata merged with what the warehouse holds."""

    name: str
    kind: str  # source | model
    title: str
    description: str
    key: list[str]
    columns: list[dict[str, Any]]  # name, type, title, classification, personal, key, declared, built
    built: bool
    rows: int | None
    node: SourceSpec | SqlModel

    @property
    def layer(self) -> str:
        return self.name.split(".")[0]


@dataclass
class Options:
    images: bool = True  # rasterise diagrams for .docx (needs Chromium)
    screenshots: bool = True  # dashboard screenshots (needs Chromium and a local server)


class Facts:
    def __init__(self, ctx: Context, pack: Pack, options: Options | None = None,
                 browser: Browser | None = None):
        self.ctx = ctx
        self.pack = pack
        self.options = options or Options()
        self.browser = browser
        self.generated_at = dt.datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M")

    @property
    def spec(self) -> Any:
        return self.pack.spec

    # -- run records ----------------------------------------------------------------------------
    @cached_property
    def runs(self) -> list[dict[str, Any]]:
        """All runs of the pack (any kind), newest first."""
        query = sa.select(runs).where(runs.c.pack == self.pack.id).order_by(runs.c.id.desc())
        with self.ctx.state.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    @cached_property
    def pipeline_runs(self) -> list[dict[str, Any]]:
        """Runs that built tables (not quality-only checks), newest first."""
        return [r for r in self.runs if r["kind"] != "quality"]

    @property
    def latest_run(self) -> dict[str, Any] | None:
        return self.pipeline_runs[0] if self.pipeline_runs else None

    @property
    def ran(self) -> bool:
        return bool(self.pipeline_runs)

    def never_ran_note(self) -> str:
        return NEVER_RAN.format(pack=self.pack.id)

    @cached_property
    def updates(self) -> list[dict[str, Any]]:
        """The pack's whole update log (数据更新日志), oldest first."""
        query = (sa.select(table_updates, runs.c.trigger, runs.c.kind.label("run_kind"))
                 .join(runs, runs.c.id == table_updates.c.run_id)
                 .where(runs.c.pack == self.pack.id).order_by(table_updates.c.id))
        with self.ctx.state.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    def latest_updates(self) -> list[dict[str, Any]]:
        run = self.latest_run
        return [u for u in self.updates if run and u["run_id"] == run["id"]]

    def last_update_of(self, table: str) -> dict[str, Any] | None:
        rows = [u for u in self.updates if u["table_name"] == table and u["status"] == "success"]
        return rows[-1] if rows else None

    # -- tables ---------------------------------------------------------------------------------
    @cached_property
    def tables(self) -> list[TableInfo]:
        """Every table the pack produces, in DAG order (sources first)."""
        produced = self.pack.produces()
        order = self.ctx.catalog.dag.order(produced)
        return [self._table(name, produced[name]) for name in order]

    def table(self, name: str) -> TableInfo | None:
        return next((t for t in self.tables if t.name == name), None)

    def _table(self, name: str, node: SourceSpec | SqlModel) -> TableInfo:
        from lingshu.datasets.catalog import column_policy

        if isinstance(node, SourceSpec):
            kind, title, desc, key, declared = "source", node.title or "", f"数据源 {node.name}", [], node.columns
        else:
            meta = node.spec
            kind, title = "model", (meta.title if meta and meta.title else "")
            desc, key = (meta.description or "") if meta else "", node.unique_key
            declared = meta.columns if meta else []
        by_name: dict[str, ColumnSpec] = {c.name: c for c in declared}
        fallback = self._pack_columns()
        layer, table = name.split(".")
        engine = self.ctx.engine
        built = engine.table_exists(layer, table)
        actual = [(c.name, c.type) for c in engine.columns(layer, table)] if built else []
        names = [n for n, _ in actual] or [c.name for c in declared]
        types = dict(actual)
        columns = []
        for col in names:
            spec = by_name.get(col) or fallback.get(col)
            policy = column_policy(col, spec)
            columns.append({
                "name": col, "type": types.get(col) or (spec.type if spec else ""),
                "title": (spec.title if spec and spec.title else ""),
                "description": (spec.description if spec and spec.description else ""),
                "classification": policy.level.label,
                "personal": policy.personal_info, "mask": policy.mask or "",
                "required": bool(spec.required) if spec else False,
                "key": col in key, "declared": col in by_name, "built": col in types,
            })
        rows = engine.row_count(layer, table) if built else None
        return TableInfo(name, kind, title, desc, list(key), columns, built, rows, node)

    @cached_property
    def _pack_columns_cache(self) -> dict[str, ColumnSpec]:
        # Same-named columns declared elsewhere in the pack describe a column that keeps its name
        # through the layers (the quality package applies the same rule to masking).
        out: dict[str, ColumnSpec] = {}
        for col in [c for s in self.spec.sources for c in s.columns] + [c for m in self.spec.models for c in m.columns]:
            out.setdefault(col.name, col)
        return out

    def _pack_columns(self) -> dict[str, ColumnSpec]:
        return self._pack_columns_cache

    # -- indicators and quality -----------------------------------------------------------------
    @cached_property
    def indicators(self) -> list[dict[str, Any]]:
        return [i for i in self.ctx.indicators.catalog() if i["pack"] == self.pack.id]

    def indicator_spec(self, indicator_id: str) -> Any:
        if self.pack.indicators is None:
            return None
        return next((s for s in self.pack.indicators.indicators if s.id == indicator_id), None)

    @cached_property
    def quality_latest(self) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
        """table -> (latest quality check, its per-rule results), for tables that were checked."""
        from lingshu.govern.quality import results

        out = {}
        for table in (self.pack.rules.tables if self.pack.rules else {}):
            hist = results.history(self.ctx.state, table, 1)
            if hist:
                out[table] = (hist[-1], results.results_of(self.ctx.state, hist[-1]["id"]))
        return out
