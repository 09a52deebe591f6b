"""Stable master ids by overlap, and survivorship with source records."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from lingshu.govern.er.golden import FieldRule, assign_masters, survive
from lingshu.govern.errors import GovernError


def _clusters(pairs: dict[str, str]) -> pa.Table:
    return pa.table({"record_key": list(pairs), "cluster_id": list(pairs.values())})


def _prev(pairs: dict[str, str]) -> pa.Table:
    return pa.table({"record_key": list(pairs), "master_id": list(pairs.values())})


@pytest.fixture
def con():
    return duckdb.connect()


def test_first_run_issues_ids_in_record_order(con):
    a = assign_masters(con, _clusters({"s:2": "c1", "s:1": "c2", "s:3": "c1"}), None, "NP")
    assert dict(zip(*a.xref.to_pydict().values(), strict=True)) == {"s:1": "NP0000000001", "s:2": "NP0000000002",
                                                                   "s:3": "NP0000000002"}
    assert [e["event"] for e in a.events] == ["new", "new"]


def test_ids_survive_reclustering_merges_and_splits_are_logged(con):
    prev = _prev({"a": "M0000000001", "b": "M0000000001", "c": "M0000000002", "d": "M0000000003",
                  "e": "M0000000003", "f": "M0000000003", "g": "M0000000004"})
    # c joins a+b (merge of 2 into 1); d+e stay, f splits off; g unchanged; h is new; 4's record g kept.
    clusters = _clusters({"a": "x", "b": "x", "c": "x", "d": "y", "e": "y", "f": "z", "g": "w", "h": "v"})
    a = assign_masters(con, clusters, prev, "M", issued_max=7)
    got = dict(zip(*a.xref.to_pydict().values(), strict=True))
    assert got["a"] == got["b"] == got["c"] == "M0000000001"
    assert got["d"] == got["e"] == "M0000000003"
    assert got["g"] == "M0000000004"
    assert got["f"] == "M0000000008" and got["h"] == "M0000000009"  # continue after the highest issued
    events = {(e["event"], e["master_id"], e["other_master_id"]) for e in a.events}
    assert events == {("merge", "M0000000002", "M0000000001"), ("split", "M0000000008", "M0000000003"),
                      ("new", "M0000000009", None)}


def test_master_without_records_is_retired(con):
    a = assign_masters(con, _clusters({"a": "x"}), _prev({"a": "M0000000001", "b": "M0000000002"}), "M")
    assert {(e["event"], e["master_id"]) for e in a.events} == {("retire", "M0000000002")}


def test_survivorship_rules_and_sources(con):
    records = pa.table({
        "record_key": ["ga:1", "sq:1", "sq:2"], "source": ["ga", "sq", "sq"],
        "updated_at": pa.array([None, "2024-01-01", "2025-01-01"], pa.string()).cast(pa.date32()),
        "name": ["张伟", "张玮", "张伟"], "phone": [None, "13800000001", "13800000002"],
        "address": ["水芸路1号", "浦东新区南汇新城镇水芸路1号101室", None],
    })
    xref = _prev({"ga:1": "M1", "sq:1": "M1", "sq:2": "M1"})
    fields = [FieldRule(name="name", rule="trusted"), FieldRule(name="phone", rule="recent"),
              FieldRule(name="address", rule="complete"), FieldRule(name="name_mode", expr="r.name", rule="frequent"),
              FieldRule(name="first_phone", expr="r.phone", rule="sql", order_by="r.updated_at ASC")]
    row = survive(con, records, xref, fields, ["ga", "sq"]).to_pylist()[0]
    assert (row["name"], row["name_src"]) == ("张伟", "ga:1")  # the trusted source wins
    assert (row["phone"], row["phone_src"]) == ("13800000002", "sq:2")  # the most recent non-NULL
    assert row["address_src"] == "sq:1"  # the most complete
    assert row["name_mode"] == "张伟"
    assert row["first_phone_src"] == "sq:1"
    assert row["record_count"] == 3 and row["sources"] == "ga,sq"


def test_sql_rule_needs_order_by(con):
    records = pa.table({"record_key": ["a"], "source": ["s"], "updated_at": pa.array([None], pa.date32()), "x": [1]})
    with pytest.raises(GovernError, match="order_by"):
        survive(con, records, _prev({"a": "M1"}), [FieldRule(name="x", rule="sql")], [])


def test_golden_step_kind_comes_from_the_kind_registry() -> None:
    from pydantic import ValidationError

    from lingshu.govern.er.steps import GoldenOptions

    fields = [FieldRule(name="name")]
    assert GoldenOptions(kind="person_sealed", model="er/m.json", fields=fields).kind == "person_sealed"
    with pytest.raises(ValidationError, match="unknown ER entity kind 'persn'; use one of: enterprise, person, person_sealed"):
        GoldenOptions(kind="persn", model="er/m.json", fields=fields)
