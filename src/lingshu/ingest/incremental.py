"""Incremental ingest: load only what is new, remembering what was loaded in the state store.

A source opts in with ``options: {incremental: {mode: watermark, column: updated_at}}`` or
``{mode: files}``. The first run (and any run with ``full_refresh``) loads everything and replaces
the ODS table; later runs append only rows above the stored watermark, or only files not loaded
before. With ``unique_key``, an appended row replaces the earlier row with the same key, so a
watermark on ``updated_at`` keeps one current version of each record.

The state is written after the ODS table is swapped in. If the process dies between the two, the
next run re-reads the same rows: with a ``unique_key`` that is harmless, without one the rows are
appended twice, which is why sources whose rows get updated should declare the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lingshu.connectors.base import ConnectorError, IncrementalOptions, Watermark
from lingshu.pack.spec import SourceSpec
from lingshu.state.store import StateStore


@dataclass(frozen=True)
class Plan:
    """What this run of one source loads, decided before the connector reads anything."""

    options: IncrementalOptions | None = None
    append: bool = False  # False: replace the ODS table with everything read
    since: Watermark | None = None
    skip_files: frozenset[str] = field(default_factory=frozenset)

    @property
    def unique_key(self) -> list[str]:
        return self.options.unique_key if self.options else []


def incremental_options(source: SourceSpec) -> IncrementalOptions | None:
    raw = source.options.get("incremental")
    if raw is None:
        return None
    try:
        return IncrementalOptions.model_validate(raw)
    except ValueError as exc:
        raise ConnectorError(f"source {source.name!r} has a bad incremental option: {exc}",
                             hint="use incremental: {mode: watermark, column: updated_at} or {mode: files}") from None


def column_type(source: SourceSpec, column: str) -> str:
    for col in source.columns:
        if column in (col.name, col.title):
            return col.type.upper()
    return "VARCHAR"


def plan(store: StateStore | None, source: SourceSpec, full_refresh: bool = False) -> Plan:
    options = incremental_options(source)
    if options is None:
        return Plan()
    if options.mode == "watermark" and options.column not in {n for c in source.columns for n in (c.name, c.title)}:
        raise ConnectorError(
            f"source {source.name!r}: watermark column {options.column!r} is not declared in columns:",
            hint="declare it with its type (e.g. {name: updated_at, type: TIMESTAMP}) so values compare as that type")
    if store is None or full_refresh:
        return Plan(options)
    if options.mode == "watermark":
        assert options.column is not None
        state = store.watermark(source.target)
        if state is None or state["column_name"] != options.column:
            return Plan(options)  # never loaded, or the watermark column changed: load everything
        return Plan(options, append=True,
                    since=Watermark(options.column, state["value"], column_type(source, options.column)))
    seen = store.loaded_files(source.target)
    return Plan(options, append=bool(seen), skip_files=frozenset(seen))


def commit(store: StateStore | None, source: SourceSpec, plan: Plan, *, run_id: int,
           new_max: str | None, files: list[str]) -> None:
    """Record what this run loaded. A full load starts the state afresh."""
    if store is None or plan.options is None:
        return
    if not plan.append:
        store.reset_ingest_state(source.target)
    if plan.options.mode == "watermark":
        assert plan.options.column is not None
        if new_max is not None:
            store.set_watermark(source.target, plan.options.column, new_max, run_id)
        elif plan.since is not None:
            store.set_watermark(source.target, plan.options.column, plan.since.value, run_id)
    else:
        store.add_loaded_files(source.target, files, run_id)
