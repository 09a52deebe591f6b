"""Run a pack: ingest its sources, then build its models in DAG order, logging every table.

A failed step marks its downstream steps skipped and the run failed; every other step still runs,
and every table that was not rebuilt keeps its previous good version (builds are atomic).

After a table is built, its quality rules run (``ctx.quality``). A failing *blocking* rule marks
the step ``failed-quality``: downstream steps are skipped, but the table itself stays as built.
Why keep it: the offending rows are then there to inspect next to the stored samples, and the
tables that feed data services (downstream) still hold their last good version. Warnings only
report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lingshu.connectors import ReadContext
from lingshu.core.errors import LingshuError
from lingshu.core.pysteps import run_step
from lingshu.pack.stepnodes import StepNode, StepOutput
from lingshu.indicators.versions import record_version
from lingshu.ingest import ingest_source
from lingshu.models.materialize import materialize
from lingshu.models.sql import SqlModel
from lingshu.pack.spec import SourceSpec
from lingshu.state.store import TableUpdate

if TYPE_CHECKING:
    from lingshu.core.context import Context


@dataclass
class StepResult:
    table: str
    step: str  # ingest | model
    status: str  # success | failed | failed-quality | skipped
    update: TableUpdate | None = None
    error: str | None = None
    quality: Any = None  # TableQuality when the table has rules


FAILED_QUALITY = "failed-quality"


@dataclass
class RunReport:
    run_id: int
    pack: str
    status: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def failed(self) -> list[StepResult]:
        return [s for s in self.steps if s.status in ("failed", FAILED_QUALITY)]


ProgressFn = Callable[[str, int, int], Any]


def run_pack(ctx: Context, pack_id: str, *, select: Iterable[str] | None = None,
             trigger: str = "manual", user: str | None = None,
             progress: ProgressFn | None = None, full_refresh: bool = False) -> RunReport:
    """Run a pack; ``full_refresh`` makes incremental sources reload everything."""
    catalog = ctx.catalog
    pack = catalog.get(pack_id)
    dag = catalog.dag
    wanted = dag.select(select) if select else set(pack.produces())
    order = dag.order(wanted)
    _check_inputs(ctx, order, wanted)
    engine, store = ctx.engine, ctx.state
    # Development workspaces run anything; the run still records whether the pack passed review.
    approval = ctx.security.approvals.status(pack_id, pack.root)
    run_id = store.start_run(pack_id, engine=engine.name, trigger=trigger, user=user, approval=approval)
    report = RunReport(run_id, pack_id, "running")
    broken: set[str] = set()
    built_with: dict[str, TableUpdate] = {}  # tables a Python step wrote together with its main table
    for i, table in enumerate(order):
        if progress:
            progress(table, i, len(order))
        failed_parents = [p for p in dag.deps.get(table, ()) if p in broken]
        step = _step_kind(catalog.node(table))
        if failed_parents:
            reason = f"upstream failed: {', '.join(failed_parents)}"
            store.skip(run_id, table, step, reason)
            report.steps.append(StepResult(table, step, "skipped", error=reason))
            broken.add(table)
            continue
        try:
            update = _run_step(ctx, run_id, table, full_refresh, built_with)
            quality = ctx.quality.after_build(run_id, table)  # None when the table has no rules
        except LingshuError as exc:
            broken.add(table)
            report.steps.append(StepResult(table, step, "failed", error=str(exc)))
            continue
        except BaseException as exc:
            # A bug, not a user error: close the run record honestly, then let it surface.
            store.finish_run(run_id, "failed", f"internal error at {table}: {exc!r}")
            raise
        if quality is not None and quality.blocking_failed:
            broken.add(table)
            report.steps.append(StepResult(table, step, FAILED_QUALITY, update, quality.summary(), quality))
            continue
        report.steps.append(StepResult(table, step, "success", update, quality=quality))
    report.status = "failed" if broken else "success"
    if pack.indicators is not None:
        # The definitions this run computed with join the version history (a changed 口径 = new version).
        for spec in pack.indicators.indicators:
            record_version(store, f"{pack_id}.{spec.id}", spec)
    store.finish_run(run_id, report.status,
                     "; ".join(f"{s.table}: {s.error}" for s in report.failed) or None)
    return report


def _step_kind(node: object) -> str:
    if isinstance(node, SourceSpec):
        return "ingest"
    return "python" if isinstance(node, StepNode | StepOutput) else "model"


def _run_step(ctx: Context, run_id: int, table: str, full_refresh: bool = False,
              built_with: dict[str, TableUpdate] | None = None) -> TableUpdate:
    node = ctx.catalog.node(table)
    pack = ctx.catalog.producers[table]
    built_with = built_with if built_with is not None else {}
    if isinstance(node, StepNode):
        with ctx.state.track(run_id, TableUpdate(table, "python")) as update:
            built_with.update(run_step(ctx, node, update))
        return update
    if isinstance(node, StepOutput):
        done = built_with.pop(table, None)
        if done is None:
            from lingshu.core.errors import PackError

            raise PackError(f"{table} is written by the step {node.main}, which did not run in this run",
                            hint=f"select the step too: --select {node.main}+")
        with ctx.state.track(run_id, done) as update:
            pass
        return update
    if isinstance(node, SqlModel):
        with ctx.state.track(run_id, TableUpdate(table, "model")) as update:
            materialize(ctx.engine, node, update, full_refresh=full_refresh)
        return update
    read_ctx = ReadContext(pack_root=pack.root, raw_dir=ctx.workspace.folder("raw"),
                           secrets_dir=ctx.workspace.folder("secrets"))
    with ctx.state.track(run_id, TableUpdate(table, "ingest")) as update:
        result = ingest_source(ctx.engine, node, read_ctx, run_id, store=ctx.state, full_refresh=full_refresh)
        update.rows_before = result.rows_before
        update.rows_read = result.rows_read
        update.rows_after = result.rows_after
        update.rows_quarantined = result.rows_quarantined
        if result.appended:
            update.rows_inserted = result.rows_loaded
    return update


def _check_inputs(ctx: Context, order: list[str], wanted: set[str]) -> None:
    """Tables read by the selection but not built by it must already exist in the warehouse."""
    from lingshu.core.errors import PackError

    for table in order:
        for parent in ctx.catalog.dag.deps.get(table, ()):
            if parent in wanted:
                continue
            layer, name = parent.split(".")
            if not ctx.engine.table_exists(layer, name):
                producer = ctx.catalog.producers[parent].id
                raise PackError(f"{table} reads {parent}, which has not been built yet",
                                hint=f"run `lingshu run {producer}` first, or select it with --select +{table}")
