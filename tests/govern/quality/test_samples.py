"""Duplicate samples come from one GROUP BY of the key columns joined back to the table (no window
over every column): the same offending rows as the old window query, valid samples, and SQL that
the Spark engine translates (it refused QUALIFY with SELECT *).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from lingshu.engines.spark.transpile import to_spark
from lingshu.govern.quality.compile import compile_table
from quality_support import rules_from_yaml

RULES = """
    - {kind: unique, column: id}
    - {kind: unique, columns: [code, grp]}
    - {kind: unique, column: code, where: "grp < 3"}
    - {kind: not_null, column: name}
"""


def _table(n: int) -> pa.Table:
    return pa.table({
        "id": [None if i % 50 == 0 else (i - 1 if i % 97 == 0 else i) for i in range(n)],
        "code": [None if i % 41 == 0 else f"C{i % 400}" for i in range(n)],
        "grp": [i % 7 for i in range(n)],
        "name": [None if i % 13 == 0 else f"n{i}" for i in range(n)],
    })


def _rows(gov_engine: Any, sql: str) -> Counter:
    return Counter(tuple(r.values()) for r in gov_engine.query(sql).to_pylist())


def _window(table: str, cols: list[str], where: str | None) -> str:
    """The old offending query: a window partitioning the whole table by key."""
    present = " AND ".join([f'"{c}" IS NOT NULL' for c in cols] + ([f"({where})"] if where else []))
    return f"SELECT * FROM {table} WHERE {present} QUALIFY count(*) OVER (PARTITION BY {', '.join(cols)}) > 1"


def test_duplicate_rows_are_those_of_the_window_query(make_table, check, gov_engine) -> None:
    t = make_table(_table(5000))
    results = check(t, RULES)
    keys = [(["id"], None), (["code", "grp"], None), (["code"], "grp < 3")]
    for r, (cols, where) in zip(results, keys, strict=False):
        assert "QUALIFY" not in r.sql and "GROUP BY" in r.sql
        offending = _rows(gov_engine, r.sql)
        assert offending == _rows(gov_engine, _window(t, cols, where)), r.rule_id
        # failed counts surplus rows: every offending row but one per duplicated key
        assert r.failed == sum(offending.values()) - len({tuple(row[k] for k in cols) for row in
                                                          gov_engine.query(r.sql).to_pylist()})


def test_duplicate_samples_are_offending_rows(make_table, check, gov_engine) -> None:
    """Several row groups (the scan is parallel): each sample row has a duplicated key in scope."""
    t = make_table(_table(300_000))
    results = check(t, RULES)
    for r in results:
        assert r.failed and len(r.sample) == 5, r.rule_id
        offending = _rows(gov_engine, r.sql)
        for row in r.sample:
            assert offending[tuple(row.values())] > 0, (r.rule_id, row)
    by_id = {r.rule_id: r for r in results}
    scoped = next(r for r in results if r.rule_id.startswith("unique_code") and "grp < 3" in r.sql)
    assert all(row["grp"] < 3 for row in scoped.sample)
    assert all(row["id"] is not None for row in by_id["unique_id"].sample)


def test_small_table_samples_keep_the_rows_of_each_key(make_table, check) -> None:
    t = make_table({"pid": [1, 9, 3, 9, 4, 9], "v": ["a", "b", "c", "d", "e", "f"]})
    (r,) = check(t, "- {kind: unique, column: pid}")
    assert (r.checked, r.failed) == (6, 2)
    assert sorted(s["v"] for s in r.sample) == ["b", "d", "f"]


@pytest.mark.parametrize("rules", [RULES])
def test_duplicate_sql_translates_for_spark(tmp_path: Path, rules: str) -> None:
    """The offending SELECT and the samples query of duplicate rules pass the Spark translation
    (the engine rejects QUALIFY with SELECT *, which the old offending query used)."""
    import textwrap

    body = textwrap.indent(textwrap.dedent(rules).strip("\n"), "    ")
    parsed = rules_from_yaml(tmp_path, f"tables:\n  dwd.t:\n{body}\n")["dwd.t"]
    plan = compile_table("dwd.t", parsed)
    dups = [c for c in plan.rules if c.rule.kind == "unique"]
    for c in dups:
        assert "GROUP BY" in to_spark(c.offending or "")
    spark = to_spark(plan.sample_sql(dups, 5))
    assert spark.count("HAVING COUNT(*) > 1") == len(dups) and "QUALIFY" not in spark.upper()
