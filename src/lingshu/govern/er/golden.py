"""Golden records: stable master ids, survivorship with source traceability, change events.

Master ids are stable by overlap with the previous assignment (record -> master):

- each previous master has a *home*: the new cluster holding most of its records;
- a cluster keeps the master, among those at home in it, with most records (ties: smallest id);
  the other masters at home there are **merged** into it (event ``merge``);
- a cluster holding records of a master but no master of its own was **split** off: it gets a new id
  (event ``split``, naming the master it came from); a cluster with no earlier records is **new**;
- a master none of whose records remains is **retired**.

So an unchanged entity keeps its id, and an id only changes through a logged merge or split.
New ids continue the highest sequence ever issued (retired ids are never reused).

Survivorship picks, per golden field, one record's value by the field's rule: ``trusted`` (the
source priority list, then most recent), ``recent`` (latest ``updated_at``), ``complete`` (longest
value), ``frequent`` (the most common value in the cluster) or ``sql`` (your ORDER BY). NULLs never
win. Each field ``f`` is stored with ``f_src``: the record key (``source:record_id``) it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, Field

from lingshu.govern.er.kinds import UNIQUE_ID
from lingshu.govern.errors import GovernError

Rule = Literal["trusted", "recent", "complete", "frequent", "sql"]


class FieldRule(BaseModel):
    name: str = Field(description="golden column name")
    expr: str | None = Field(None, description="SQL over the standardized record; default: the column `name`")
    rule: Rule = "trusted"
    order_by: str | None = Field(None, description="for rule sql: the ORDER BY deciding the winner")
    priority: list[str] = Field(default_factory=list, description="source order for this field (default: the step's)")


@dataclass
class Assignment:
    xref: pa.Table  # record_key, master_id
    events: list[dict[str, Any]] = field(default_factory=list)


def _seq(master_id: str) -> int:
    m = re.search(r"(\d+)$", master_id)
    return int(m.group(1)) if m else 0


def assign_masters(con: Any, clusters: pa.Table, prev: pa.Table | None, prefix: str,
                   issued_max: int = 0) -> Assignment:
    """Master id per record from (record_key, cluster_id) and the previous (record_key, master_id)."""
    con.register("__cl", clusters.select([UNIQUE_ID, "cluster_id"]))
    con.register("__prev", prev.select([UNIQUE_ID, "master_id"]) if prev is not None else
                 pa.table({UNIQUE_ID: pa.array([], pa.string()), "master_id": pa.array([], pa.string())}))
    try:
        ov = con.execute("""
            SELECT c.cluster_id, p.master_id, count(*) AS n
            FROM __cl c JOIN __prev p USING (record_key) GROUP BY ALL""").fetchall()
        all_prev = [r[0] for r in con.execute("SELECT DISTINCT master_id FROM __prev ORDER BY 1").fetchall()]
        clusters_order = [r[0] for r in con.execute(
            "SELECT cluster_id FROM __cl GROUP BY cluster_id ORDER BY min(record_key)").fetchall()]
        events: list[dict[str, Any]] = []
        home: dict[str, tuple[str, int]] = {}
        for cid, mid, n in sorted(ov, key=lambda r: (r[1], -r[2], r[0])):
            home.setdefault(mid, (cid, n))
        at_home: dict[str, list[tuple[int, str]]] = {}
        for mid, (cid, n) in home.items():
            at_home.setdefault(cid, []).append((-n, mid))
        chosen: dict[str, str] = {}
        for cid, cands in at_home.items():
            cands.sort()
            chosen[cid] = cands[0][1]
            for _, other in cands[1:]:
                events.append({"event": "merge", "master_id": other, "other_master_id": cands[0][1]})
        came_from: dict[str, str] = {}
        for cid, mid, n in sorted(ov, key=lambda r: (r[0], -r[2], r[1])):
            came_from.setdefault(cid, mid)
        seq = max([issued_max, *(_seq(m) for m in all_prev)])
        for cid in clusters_order:
            if cid in chosen:
                continue
            seq += 1
            chosen[cid] = f"{prefix}{seq:010d}"
            if cid in came_from:
                events.append({"event": "split", "master_id": chosen[cid], "other_master_id": came_from[cid]})
            else:
                events.append({"event": "new", "master_id": chosen[cid], "other_master_id": None})
        merged = {e["master_id"] for e in events if e["event"] == "merge"}
        for mid in all_prev:
            if mid not in home and mid not in merged:
                events.append({"event": "retire", "master_id": mid, "other_master_id": None})
        con.register("__chosen", pa.table({"cluster_id": list(chosen), "master_id": list(chosen.values())}))
        xref = con.execute("SELECT c.record_key, m.master_id FROM __cl c JOIN __chosen m USING (cluster_id)"
                           ).to_arrow_table()
        con.unregister("__chosen")
        return Assignment(xref, events)
    finally:
        con.unregister("__cl")
        con.unregister("__prev")


def _order(rule: FieldRule, priority: list[str], value: str) -> str:
    prio = rule.priority or priority
    by_source = (f"coalesce(list_position({_sql_list(prio)}, r.source), 999)" if prio else "0")
    orders = {
        "trusted": f"{by_source}, r.updated_at DESC NULLS LAST",
        "recent": f"r.updated_at DESC NULLS LAST, {by_source}",
        "complete": f"length(CAST({value} AS VARCHAR)) DESC, {by_source}",
        "frequent": f"r.__freq DESC, {by_source}",
        "sql": rule.order_by or "",  # over the record, alias r
    }
    if rule.rule == "sql" and not rule.order_by:
        raise GovernError(f"golden field {rule.name}: rule sql needs order_by",
                          hint="give order_by, an SQL ORDER BY over the record (alias r), e.g. 'r.updated_at DESC'")
    return orders[rule.rule] + f", r.{UNIQUE_ID}"


def survive(con: Any, records: pa.Table, xref: pa.Table, fields: list[FieldRule], priority: list[str]) -> pa.Table:
    """One golden row per master: each field's winning value and its source record."""
    con.register("__rec", records)
    con.register("__xref", xref)
    try:
        parts = []
        for f in fields:
            value = f.expr or f"r.{f.name}"
            # Inner query: the candidates and how often each value occurs in its cluster (rule frequent).
            inner = f"""(SELECT r.*, x.master_id, count(*) OVER (PARTITION BY x.master_id, {value}) AS __freq
                FROM __rec r JOIN __xref x USING ({UNIQUE_ID}) WHERE {value} IS NOT NULL)"""
            parts.append(f"""(SELECT r.master_id, {value} AS v, r.{UNIQUE_ID} AS src,
                row_number() OVER (PARTITION BY r.master_id ORDER BY {_order(f, priority, value)}) AS rk
                FROM {inner} r) AS f_{f.name}""")
        joins = "\n".join(f"LEFT JOIN {p} ON f_{f.name}.master_id = m.master_id AND f_{f.name}.rk = 1"
                          for p, f in zip(parts, fields, strict=True))
        cols = ", ".join(f"f_{f.name}.v AS {f.name}, f_{f.name}.src AS {f.name}_src" for f in fields)
        return con.execute(f"""
            WITH m AS (SELECT x.master_id, count(*) AS record_count,
                              list(DISTINCT r.source ORDER BY r.source) AS sources
                       FROM __xref x JOIN __rec r USING ({UNIQUE_ID}) GROUP BY x.master_id)
            SELECT m.master_id, {cols}, m.record_count, array_to_string(m.sources, ',') AS sources
            FROM m {joins}
            ORDER BY m.master_id""").to_arrow_table()
    finally:
        con.unregister("__rec")
        con.unregister("__xref")


def _sql_list(items: list[str]) -> str:
    return "[" + ", ".join("'" + i.replace("'", "''") + "'" for i in items) + "]"
