"""One resolution run: full (cluster everything) or incremental (a new batch against existing masters).

Full: Splink scores every blocked pair, links above the threshold (and remembered ``match``
decisions) form clusters, and ids carry over from the previous run by overlap (``golden``).
Incremental: only the batch (records not seen before, or whose content changed) is scored, against
the existing records (``predict_between``) and against itself (``predict_within``); each existing
master is one node, so a batch record joins a master, founds a new one, or bridges two (a logged
merge). Golden rows are recomputed only for the masters the batch touched and merged into the
previous golden table (change capture), so an update costs the batch, not the library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.govern.er import cluster as cl
from lingshu.govern.er import golden as gd
from lingshu.govern.er.kinds import UNIQUE_ID
from lingshu.govern.er.train import Model, linker, new_db_api

MASTER_NODE = "M|"  # prefix of a master's node in the incremental graph


@dataclass
class Previous:
    xref: pa.Table  # record_key, master_id, row_hash
    golden: pa.Table | None = None
    review: pa.Table | None = None
    issued_max: int = 0


@dataclass
class Result:
    xref: pa.Table
    golden: pa.Table
    review: pa.Table
    events: list[dict[str, Any]]
    stats: dict[str, int] = field(default_factory=dict)


@dataclass
class Config:
    threshold: float = 0.95
    review_low: float = 0.5
    prefix: str = "M"
    source_priority: list[str] = field(default_factory=list)
    fields: list[gd.FieldRule] = field(default_factory=list)
    incremental: bool = True


def resolve(records: pa.Table, model: Model, prev: Previous | None, cfg: Config, *, db_api: Any = None) -> Result:
    """``records``: standardized rows with ``row_hash``; ``prev``: the last run's outputs, if any."""
    api = db_api or new_db_api()
    con = _scratch()
    decisions = _decisions(prev)
    splink_cols = [c for c in records.column_names if c != "row_hash"]
    if prev is None or not cfg.incremental:
        lk = linker(api, records.select(splink_cols), model, name="er_all")
        pairs = cl.scored_pairs(lk.inference.predict(threshold_match_probability=cfg.review_low))
        edges = cl.links(con, pairs, decisions, cfg.threshold)
        clusters = cl.components(api, records.select([UNIQUE_ID]), edges)
        clusters = clusters.rename_columns([UNIQUE_ID, "cluster_id"])
        prev_xref = prev.xref if prev is not None else None
        assignment = gd.assign_masters(con, clusters, prev_xref, cfg.prefix, prev.issued_max if prev else 0)
        affected = None
        batch_n = records.num_rows
    else:
        assignment, pairs, batch_n, affected = _incremental(con, api, records, splink_cols, model, prev, cfg, decisions)
    xref = _with_hash(con, assignment.xref, records)
    golden = _golden(con, records, xref, cfg, prev, affected, assignment.events)
    review = _review(con, pairs, xref, prev, cfg)
    stats = {"records": records.num_rows, "batch_records": batch_n, "pairs_scored": pairs.num_rows,
             "masters": golden.num_rows,
             **{k: sum(1 for e in assignment.events if e["event"] == k) for k in ("new", "merge", "split", "retire")},
             "review_pending": int(pc.sum(pc.is_null(review.column("decision"))).as_py() or 0)}
    return Result(xref, golden, review, assignment.events, stats)


def _scratch() -> Any:
    """A private DuckDB with the govern SQL functions (survivorship expressions may use them)."""
    from lingshu.govern.er.backends import driver_duckdb

    return driver_duckdb().con


def _incremental(con: Any, api: Any, records: pa.Table, cols: list[str], model: Model, prev: Previous,
                 cfg: Config, decisions: pa.Table | None) -> tuple[gd.Assignment, pa.Table, int, set[str]]:
    con.register("__r", records.select([UNIQUE_ID, "row_hash"]))
    con.register("__px", prev.xref.select([UNIQUE_ID, "master_id", "row_hash"]))
    # Unchanged known records stay put; new or changed ones are the batch.
    known = con.execute("""SELECT p.record_key, p.master_id FROM __px p JOIN __r r
                           ON r.record_key = p.record_key AND r.row_hash IS NOT DISTINCT FROM p.row_hash""").to_arrow_table()
    still = con.execute("SELECT p.record_key, p.master_id FROM __px p JOIN __r r USING (record_key)").to_arrow_table()
    con.unregister("__r")
    con.unregister("__px")
    known_keys = known.column(UNIQUE_ID)
    is_known = pc.is_in(records.column(UNIQUE_ID), value_set=known_keys)
    batch = records.filter(pc.invert(is_known)).select(cols)
    existing = records.filter(is_known).select(cols)
    empty_pairs = pa.table({c: pa.array([], t) for c, t in
                            zip(cl.PAIR_COLS, (pa.string(), pa.string(), pa.float64()), strict=True)})
    if batch.num_rows == 0:
        pairs = empty_pairs
    else:
        sb = api.register(batch, table_name="er_batch")
        lk = linker(api, sb, model)
        parts = [cl.scored_pairs(lk.inference.predict_within(sb, threshold_match_probability=cfg.review_low))]
        if existing.num_rows:
            se = api.register(existing, table_name="er_existing")
            parts.append(cl.scored_pairs(lk.inference.predict_between(
                sb, se, threshold_match_probability=cfg.review_low)))
        pairs = pa.concat_tables(parts) if parts else empty_pairs
    edges = cl.links(con, pairs, decisions, cfg.threshold)
    # Existing records collapse into their master's node.
    con.register("__e", edges)
    con.register("__k", known)
    mapped = con.execute(f"""
        SELECT coalesce('{MASTER_NODE}' || kl.master_id, e.record_key_l) AS a,
               coalesce('{MASTER_NODE}' || kr.master_id, e.record_key_r) AS b, e.match_probability
        FROM __e e LEFT JOIN __k kl ON kl.record_key = e.record_key_l
                   LEFT JOIN __k kr ON kr.record_key = e.record_key_r""").to_arrow_table()
    masters = con.execute(f"SELECT DISTINCT '{MASTER_NODE}' || master_id AS record_key FROM __k").to_arrow_table()
    nodes = pa.concat_tables([masters, batch.select([UNIQUE_ID]).cast(masters.schema)])
    comp = cl.components(api, nodes, mapped)
    con.register("__comp", comp)
    clusters = con.execute(f"""
        SELECT k.record_key, c.cluster_id FROM __k k JOIN __comp c ON c.record_key = '{MASTER_NODE}' || k.master_id
        UNION ALL
        SELECT c.record_key, c.cluster_id FROM __comp c WHERE NOT starts_with(c.record_key, '{MASTER_NODE}')""").to_arrow_table()
    for t in ("__e", "__k", "__comp"):
        con.unregister(t)
    assignment = gd.assign_masters(con, clusters, still, cfg.prefix, prev.issued_max)
    touched = set(pc.unique(pc.filter(assignment.xref.column("master_id"),
                                      pc.is_in(assignment.xref.column(UNIQUE_ID),
                                               value_set=batch.column(UNIQUE_ID)))).to_pylist())
    for e in assignment.events:
        touched.update(m for m in (e["master_id"], e["other_master_id"]) if m)
    gone = pc.invert(pc.is_in(prev.xref.column(UNIQUE_ID), value_set=records.column(UNIQUE_ID)))
    touched.update(pc.unique(pc.filter(prev.xref.column("master_id"), gone)).to_pylist())
    return assignment, pairs, batch.num_rows, touched


def _with_hash(con: Any, xref: pa.Table, records: pa.Table) -> pa.Table:
    con.register("__x", xref)
    con.register("__h", records.select([UNIQUE_ID, "source", "record_id", "row_hash"]))
    try:
        return con.execute("""SELECT x.record_key, h.source, CAST(h.record_id AS VARCHAR) AS record_id,
                                     x.master_id, h.row_hash
                              FROM __x x JOIN __h h USING (record_key) ORDER BY x.master_id, x.record_key""").to_arrow_table()
    finally:
        con.unregister("__x")
        con.unregister("__h")


def _golden(con: Any, records: pa.Table, xref: pa.Table, cfg: Config, prev: Previous | None,
            affected: set[str] | None, events: list[dict[str, Any]]) -> pa.Table:
    if affected is None or prev is None or prev.golden is None:
        return gd.survive(con, records, xref.select([UNIQUE_ID, "master_id"]), cfg.fields, cfg.source_priority)
    mask = pc.is_in(xref.column("master_id"), value_set=pa.array(sorted(affected), pa.string()))
    fresh = gd.survive(con, records, xref.filter(mask).select([UNIQUE_ID, "master_id"]), cfg.fields,
                       cfg.source_priority)
    keep = prev.golden.filter(pc.invert(pc.is_in(prev.golden.column("master_id"),
                                                 value_set=pa.array(sorted(affected), pa.string()))))
    merged = pa.concat_tables([keep.cast(fresh.schema), fresh]) if keep.num_rows else fresh
    return merged.sort_by("master_id")


def _decisions(prev: Previous | None) -> pa.Table | None:
    if prev is None or prev.review is None or prev.review.num_rows == 0:
        return None
    r = prev.review
    return r.filter(pc.is_valid(r.column("decision"))).select([*cl.PAIR_COLS[:2], "decision"])


def _review(con: Any, pairs: pa.Table, xref: pa.Table, prev: Previous | None, cfg: Config) -> pa.Table:
    """Uncertain pairs to review, with earlier rows (and their decisions) kept."""
    band = cl.review_band(pairs, cfg.review_low, cfg.threshold)
    con.register("__band", band)
    con.register("__x", xref.select([UNIQUE_ID, "master_id"]))
    old = prev.review if prev is not None and prev.review is not None else None
    con.register("__old", old if old is not None else pa.table({
        "record_key_l": pa.array([], pa.string()), "record_key_r": pa.array([], pa.string()),
        "match_probability": pa.array([], pa.float64()), "decision": pa.array([], pa.string()),
        "decided_by": pa.array([], pa.string())}))
    try:
        return con.execute("""
            WITH u AS (
                SELECT record_key_l, record_key_r, match_probability, decision, decided_by FROM __old
                UNION ALL
                SELECT b.record_key_l, b.record_key_r, b.match_probability, NULL, NULL FROM __band b
                WHERE NOT EXISTS (SELECT 1 FROM __old o WHERE o.record_key_l = b.record_key_l
                                  AND o.record_key_r = b.record_key_r))
            SELECT u.record_key_l, u.record_key_r, u.match_probability, xl.master_id AS master_l,
                   xr.master_id AS master_r, CAST(u.decision AS VARCHAR) AS decision,
                   CAST(u.decided_by AS VARCHAR) AS decided_by
            FROM u LEFT JOIN __x xl ON xl.record_key = u.record_key_l LEFT JOIN __x xr ON xr.record_key = u.record_key_r
            ORDER BY u.record_key_l, u.record_key_r""").to_arrow_table()
    finally:
        for t in ("__band", "__x", "__old"):
            con.unregister(t)
