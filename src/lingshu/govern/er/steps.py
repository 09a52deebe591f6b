"""The ``er.golden`` Python step: records table in, golden records, cross-reference, changes, review out.

In ``pack.yaml``::

    steps:
      - name: dwd.np_person_golden            # golden records, one row per master
        function: er.golden
        reads: [dwd.np_person_record]          # the kind's input columns + record_id, source
        writes: [dwd.np_person_xref, dwd.np_person_changes, dwd.np_person_review]
        unique_key: [master_id]
        options:
          kind: person
          model: er/person.model.json          # trained JSON, versioned with the pack
          threshold: 0.95                       # link at or above
          review_low: 0.5                       # review queue: [review_low, threshold)
          prefix: NP
          source_priority: [ga_population, sq_resident]
          fields: [{name: name, rule: trusted}, {name: phone, rule: recent}, ...]

``writes`` are, in this order: the cross-reference (record -> master, with the row hash used to
detect changed records), the change log (new / merge / split / retire events and one ``run``
summary per run, appended), and the review queue (set ``decision`` to ``match`` or ``no_match``
in that table; the next run applies and keeps it). The step reads its own previous outputs to
keep master ids stable and to run incrementally. Splink runs on the workspace's engine
(``backends.BACKENDS``: DuckDB, or Spark through Splink's SparkAPI).
"""


from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, field_validator

from lingshu.core.errors import PackError
from lingshu.core.pysteps import py_step
from lingshu.govern.er.backends import backend_for, standardized
from lingshu.govern.er.golden import FieldRule, _seq
from lingshu.govern.er.kinds import KINDS
from lingshu.govern.er.resolve import Config, Previous, resolve
from lingshu.govern.er.train import load_model
from lingshu.pack.spec import StepSpec

__all__ = ["GoldenOptions", "golden_step", "standardized"]

if TYPE_CHECKING:
    from lingshu.core.context import Context
    from lingshu.engines.base import Engine


class GoldenOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="entity kind, a name in govern.er.kinds.KINDS (person, person_sealed, enterprise)")
    model: str = Field(description="model JSON, relative to the pack folder")
    threshold: float = Field(0.95, gt=0, le=1)
    review_low: float = Field(0.5, gt=0, le=1)
    prefix: str = Field("M", pattern=r"^[A-Z]{1,4}$")
    source_priority: list[str] = Field(default_factory=list)
    fields: list[FieldRule] = Field(min_length=1)
    incremental: bool = True

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        return KINDS.known(v)


def _table(engine: Engine, name: str) -> pa.Table | None:
    layer, table = name.split(".")
    return engine.query(f'SELECT * FROM "{layer}"."{table}"') if engine.table_exists(layer, table) else None


@py_step("er.golden", GoldenOptions)
def golden_step(ctx: Context, step: StepSpec, opts: GoldenOptions) -> dict[str, pa.Table | tuple[pa.Table, list[str]]]:
    """Entity resolution with stable golden records (options: kind, model, threshold, fields...)."""
    if len(step.reads) != 1 or len(step.writes) != 3:
        raise PackError(f"step {step.name}: er.golden reads one records table and writes three tables",
                        hint="reads: [<records>]; writes: [<xref>, <changes>, <review>] (see lingshu.govern.er.steps)")
    pack = ctx.catalog.producers[step.name]
    model = load_model(pack.root / opts.model)
    if model.kind != opts.kind:
        raise PackError(f"step {step.name}: model {opts.model} is for {model.kind}, not {opts.kind}",
                        hint="point model at a model trained for this kind")
    engine = ctx.engine
    backend = backend_for(engine)  # Splink's API for this engine (backends.BACKENDS)
    layer, table = step.reads[0].split(".")
    records = backend.records(engine, f'"{layer}"."{table}"', opts.kind)
    xref_t, log_t, review_t = step.writes
    prev_xref = _table(engine, xref_t)
    prev_log = _table(engine, log_t)
    prev = None
    if prev_xref is not None:
        issued = max((_seq(m) for m in (prev_log.column("master_id").to_pylist() if prev_log is not None else []) if m),
                     default=0)
        prev = Previous(prev_xref, _table(engine, step.name), _table(engine, review_t), issued)
    cfg = Config(opts.threshold, opts.review_low, opts.prefix, opts.source_priority, opts.fields, opts.incremental)
    with backend.api(engine) as api:
        result = resolve(records, model, prev, cfg, db_api=api)
    batch = (max(prev_log.column("batch").to_pylist(), default=0) + 1) if prev_log is not None else 1
    log = _log(prev_log, result.events, result.stats, batch, model.version)
    return {step.name: result.golden, xref_t: (result.xref, ["record_key"]), log_t: (log, ["batch", "seq"]),
            review_t: (result.review, ["record_key_l", "record_key_r"])}


def _log(prev: pa.Table | None, events: list[dict], stats: dict[str, int], batch: int, model_version: int) -> pa.Table:
    at = datetime.now().replace(microsecond=0)
    rows = [{"batch": batch, "seq": i + 1, "logged_at": at, "event": e["event"], "master_id": e["master_id"],
             "other_master_id": e["other_master_id"], "detail": None} for i, e in enumerate(events)]
    rows.append({"batch": batch, "seq": 0, "logged_at": at, "event": "run", "master_id": None, "other_master_id": None,
                 "detail": json.dumps({**stats, "model_version": model_version}, ensure_ascii=False)})
    schema = pa.schema([("batch", pa.int64()), ("seq", pa.int64()), ("logged_at", pa.timestamp("us")), ("event", pa.string()),
                        ("master_id", pa.string()), ("other_master_id", pa.string()), ("detail", pa.string())])
    new = pa.Table.from_pylist(rows, schema=schema)
    return pa.concat_tables([prev.cast(schema), new]) if prev is not None else new
