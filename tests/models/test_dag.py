"""DAG order, cycle errors that name the cycle, and --select expansion."""

from __future__ import annotations

import pytest

from lingshu.core.errors import ModelError
from lingshu.models.dag import Dag

DEPS = {
    "ods.a": [],
    "ods.b": [],
    "dwd.a": ["ods.a"],
    "dwd.ab": ["dwd.a", "ods.b"],
    "ads.x": ["dwd.ab"],
    "ads.y": ["dwd.a"],
}


def test_order_puts_parents_first_deterministically() -> None:
    order = Dag(DEPS).order()
    assert order == ["ods.a", "ods.b", "dwd.a", "ads.y", "dwd.ab", "ads.x"]
    for node, parents in DEPS.items():
        assert all(order.index(p) < order.index(node) for p in parents)


def test_cycle_is_named_in_reading_order() -> None:
    deps = {**DEPS, "ods.a": ["ads.x"]}
    with pytest.raises(ModelError) as err:
        Dag(deps)
    message = err.value.message
    assert "cycle" in message
    for node in ("ods.a", "dwd.a", "dwd.ab", "ads.x"):
        assert node in message
    assert "ads.y" not in message


def test_select_upstream_and_downstream() -> None:
    dag = Dag(DEPS)
    assert dag.select(["+dwd.ab"]) == {"dwd.ab", "dwd.a", "ods.a", "ods.b"}
    assert dag.select(["dwd.a+"]) == {"dwd.a", "dwd.ab", "ads.x", "ads.y"}
    assert dag.select(["ads.y"]) == {"ads.y"}
    with pytest.raises(ModelError, match="no model named"):
        dag.select(["dwd.nope"])


def test_order_of_a_subset() -> None:
    assert Dag(DEPS).order({"ads.x", "ods.b", "dwd.ab"}) == ["ods.b", "dwd.ab", "ads.x"]
