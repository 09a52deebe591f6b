"""The quality service on the Context: check a table after it is built, or a whole pack on demand.

The runner calls :meth:`QualityService.after_build` for every table it builds; ``lingshu quality``
calls :meth:`QualityService.check_pack`. Both store every result (``results.save``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lingshu.govern.quality import results
from lingshu.govern.quality.compile import compile_table
from lingshu.govern.quality.execute import run_plan
from lingshu.govern.quality.outcome import FAILED, PASSED, TableQuality, dimension_scores, overall
from lingshu.govern.quality.samples import column_masks
from lingshu.govern.quality.spec import RuleSpec
from lingshu.pack.loader import Pack
from lingshu.pack.spec import ColumnSpec
from lingshu.state.store import now

if TYPE_CHECKING:
    from lingshu.core.context import Context


@dataclass
class PackQuality:
    pack: str
    run_id: int | None
    tables: list[TableQuality] = field(default_factory=list)

    @property
    def results(self) -> list:
        return [r for t in self.tables for r in t.results]

    @property
    def blocking_failed(self) -> list:
        return [r for t in self.tables for r in t.blocking_failed]

    @property
    def dimension_scores(self) -> dict[str, float]:
        return dimension_scores(self.results)

    @property
    def score(self) -> float | None:
        return overall(self.dimension_scores)

    @property
    def status(self) -> str:
        if self.blocking_failed:
            return FAILED
        return "warning" if any(t.status != PASSED for t in self.tables) else PASSED


def column_specs(pack: Pack, table: str) -> dict[str, ColumnSpec]:
    """Declared columns for ``table``: its own first, then same-named columns elsewhere in the pack.

    A DWD model usually keeps its source's column names, so the ODS declaration (``personal: true``)
    still protects the cleaned column when the model does not repeat it.
    """
    node = pack.produces().get(table)
    own = list(getattr(node, "columns", None) or getattr(getattr(node, "spec", None), "columns", None) or [])
    others = [c for s in pack.spec.sources for c in s.columns] + [c for m in pack.spec.models for c in m.columns]
    out: dict[str, ColumnSpec] = {}
    for col in [*others, *own]:  # later wins: the table's own declaration
        out[col.name] = col
    return out


class QualityService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def rules_for(self, table: str) -> tuple[Pack, list[RuleSpec], int] | None:
        """The producing pack's rules for ``table`` (and its sample size), or None."""
        pack = self.ctx.catalog.producers.get(table)
        if pack is None or pack.rules is None or not pack.rules.tables.get(table):
            return None
        return pack, pack.rules.tables[table], pack.rules.sample_size

    def check_table(self, pack: Pack, table: str, rules: list[RuleSpec], *, run_id: int | None = None,
                    sample_size: int = 5) -> TableQuality:
        """Run and store ``rules`` on ``table``."""
        started = now()
        store, engine = self.ctx.state, self.ctx.engine
        plan = compile_table(table, rules)
        layer, name = table.split(".")
        columns = [c.name for c in engine.columns(layer, name)] if engine.table_exists(layer, name) else []
        rows, found = run_plan(engine, plan, previous_rows=results.previous_rows(store, table),
                               sample_size=sample_size, masks=column_masks(columns, column_specs(pack, table)))
        tq = TableQuality(pack.id, table, rows, found, started, now(), run_id=run_id)
        results.save(store, tq)
        return tq

    def after_build(self, run_id: int, table: str) -> TableQuality | None:
        """Check a table the runner just built; None when its pack has no rules for it."""
        found = self.rules_for(table)
        if found is None:
            return None
        pack, rules, sample_size = found
        return self.check_table(pack, table, rules, run_id=run_id, sample_size=sample_size)

    def check_pack(self, pack_id: str, *, trigger: str = "manual", user: str | None = None) -> PackQuality:
        """Check every table of the pack that has rules, as one run of kind ``quality``."""
        pack = self.ctx.catalog.get(pack_id)
        store = self.ctx.state
        run_id = store.start_run(pack_id, kind="quality", engine=self.ctx.engine.name, trigger=trigger, user=user)
        out = PackQuality(pack_id, run_id)
        try:
            if pack.rules is not None:
                for table, rules in pack.rules.tables.items():
                    out.tables.append(self.check_table(pack, table, rules, run_id=run_id,
                                                       sample_size=pack.rules.sample_size))
        except BaseException as exc:
            store.finish_run(run_id, "failed", f"internal error: {exc!r}")
            raise
        failed = out.blocking_failed
        store.finish_run(run_id, "failed" if failed else "success",
                         "; ".join(f"{r.table}.{r.rule_id}" for r in failed) or None)
        return out

    def report(self, pack_id: str, path: Path) -> Path:
        """Write the HTML quality report (数据质量核验文档) of the pack's latest checks."""
        from lingshu.govern.quality.report import write_report

        return write_report(self.ctx, self.ctx.catalog.get(pack_id), path)
