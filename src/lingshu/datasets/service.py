"""Dataset access for a principal: authorise, query, mask, audit. The HTTP layer only translates.

Every call is audited with the caller, the dataset, the filters and the number of rows returned
(never the values).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from lingshu.datasets.catalog import Dataset, DatasetCatalog
from lingshu.datasets.export import EXPORTERS, Export
from lingshu.datasets.query import (
    CountCache,
    DatasetQuery,
    QueryResult,
    compile_shape,
    plan,
    present,
    run_query,
    visible_columns,
)
from lingshu.security.accounts import AccessDenied, Principal
from lingshu.security.grants import Decision

if TYPE_CHECKING:
    from lingshu.core.context import Context


class DatasetService:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.catalog = DatasetCatalog(ctx)
        self.counts = CountCache()

    def _decide(self, principal: Principal, dataset_id: str, action: str) -> Decision:
        try:
            return self.ctx.security.grants.decide(principal, f"dataset:{dataset_id}", action)
        except AccessDenied:
            self.ctx.security.audit.record(principal.username, f"dataset.{action}", f"dataset:{dataset_id}",
                                           outcome="denied")
            raise

    def _clear(self, principal: Principal, dataset_id: str) -> bool:
        try:
            self.ctx.security.grants.decide(principal, f"dataset:{dataset_id}", "decrypt")
            return True
        except AccessDenied:
            return False

    def list(self, principal: Principal) -> list[dict[str, Any]]:
        out = []
        for dataset_id in self.catalog.ids():
            try:
                self.ctx.security.grants.decide(principal, f"dataset:{dataset_id}", "read")
                dataset = self.catalog.get(dataset_id)
            except Exception:  # noqa: BLE001 - not granted or not built: simply not listed
                continue
            out.append({"id": dataset.id, "title": dataset.title, "pack": dataset.pack,
                        "level": dataset.level.label, "spatial": dataset.geometry is not None})
        return out

    def describe(self, principal: Principal, dataset_id: str) -> dict[str, Any]:
        decision = self._decide(principal, dataset_id, "read")
        dataset = self.catalog.get(dataset_id)
        clear = self._clear(principal, dataset_id)
        visible = set(visible_columns(dataset, decision))
        return {
            "id": dataset.id, "title": dataset.title, "description": dataset.description, "pack": dataset.pack,
            "level": dataset.level.label, "key": dataset.key,
            "columns": [{"name": c.name, "title": c.title, "type": c.type, "level": c.policy.level.label,
                         "personal": c.policy.personal_info, "masked": c.protected and not clear}
                        for c in dataset.columns if c.name in visible],
            "row_filter": decision.row_filter is not None, "extent_limited": bool(decision.extents),
        }

    def rows(self, principal: Principal, dataset_id: str, params: list[tuple[str, str]],
             geometry: str = "wkt") -> tuple[Dataset, QueryResult]:
        decision = self._decide(principal, dataset_id, "read")
        dataset = self.catalog.get(dataset_id)
        query = DatasetQuery.from_params(params)
        result = run_query(self.ctx.engine.reader(), dataset, query, decision, self._clear(principal, dataset_id),
                           geometry, self.ctx.vault, self.counts)
        self.ctx.security.audit.record(principal.username, "dataset.read", f"dataset:{dataset_id}",
                                       rows=result.table.num_rows, masked=result.masked, **query.describe())
        return dataset, result

    def export(self, principal: Principal, dataset_id: str, params: list[tuple[str, str]],
               fmt: str) -> tuple[Export, Iterator[bytes]]:
        exporter = EXPORTERS.get(fmt)
        decision = self._decide(principal, dataset_id, "export")
        dataset = self.catalog.get(dataset_id)
        query = DatasetQuery.from_params([p for p in params if p[0] not in ("limit", "after")])
        query.limit = None  # exports stream everything the grant allows
        shape, values, _ = plan(dataset, query, decision, exporter.geometry)
        sql, _ = compile_shape(shape)
        output = [c for c, _ in shape.output]
        clear = self._clear(principal, dataset_id)
        masked = [c for c in output if (col := dataset.column(c)) is not None and col.protected and not clear]
        self.ctx.security.audit.record(principal.username, "dataset.export", f"dataset:{dataset_id}",
                                       format=fmt, masked=masked, **query.describe())
        batches = self.ctx.engine.reader().batches(sql, values)
        vault = self.ctx.vault

        def tables() -> Iterator[pa.Table]:
            for batch in batches:
                table = pa.Table.from_batches([batch]).select(output)  # drops the hidden sort keys
                yield present(dataset, table, clear, vault)[0]

        return exporter, exporter.write(dataset, output, tables())
