"""Indicators that publish person or enterprise statistics go through disclosure control."""

from __future__ import annotations

import pytest

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.indicators import IndicatorError
from support import write_files

# Towns with 40, 3 and 12 residents; enterprises with one dominant firm in 泥城镇.
PEOPLE = """
SELECT i AS person_id, CASE WHEN i < 40 THEN '南汇新城镇' WHEN i < 43 THEN '书院镇' ELSE '泥城镇' END AS town
FROM range(55) t(i)
"""
FIRMS = """
SELECT * FROM (VALUES
  ('A1', '南汇新城镇', 300.0), ('A2', '南汇新城镇', 250.0), ('A3', '南汇新城镇', 200.0),
  ('A4', '南汇新城镇', 150.0), ('A5', '南汇新城镇', 100.0),
  ('B1', '泥城镇', 900.0), ('B2', '泥城镇', 50.0), ('B3', '泥城镇', 30.0), ('B4', '泥城镇', 20.0),
  ('C1', '书院镇', 500.0), ('C2', '书院镇', 300.0),
  ('D1', '万祥镇', 100.0), ('D2', '万祥镇', 90.0), ('D3', '万祥镇', 80.0), ('D4', '万祥镇', 85.0)
) t(uscc, town, revenue)
"""
INDICATORS = """
indicators:
  - {id: residents, name: 常住人口, definition: 人数, model: dwd.people, measure: {agg: count},
     dimensions: [town], disclosure: {unit: persons, contributor: person_id}, precision: 0}
  - {id: revenue, name: 营业收入, definition: 企业营业收入合计, model: dwd.firms,
     measure: {agg: sum, column: revenue}, dimensions: [town], disclosure: {unit: enterprises, contributor: uscc}}
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("sdc")
    packs = write_files(tmp / "packs" / "stats", {
        "pack.yaml": "id: stats\nname: 统计\ndomain: example\ndepartment: 统计\nindicators: indicators.yaml\n",
        "indicators.yaml": INDICATORS,
        "models/dwd/people.sql": PEOPLE,
        "models/dwd/firms.sql": FIRMS,
    }).parent
    ws = init_workspace(tmp / "ws", pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    with Context(ws) as context:
        assert context.run("stats").status == "success"
        yield context


def rows(result) -> dict:
    return {r["town"]: (r["value"], r.get("suppressed")) for r in result.table.to_pylist()}


def test_small_person_cells_and_their_partner_are_suppressed(ctx: Context) -> None:
    got = rows(ctx.indicators.query(indicator="residents", dimensions=["town"]))
    assert got == {"南汇新城镇": (40.0, None), "书院镇": (None, "min_n"), "泥城镇": (None, "secondary")}
    total = ctx.indicators.query(indicator="residents")
    assert total.table.column("value").to_pylist() == [55.0]  # the total itself is safe
    with pytest.raises(IndicatorError, match="suppressed"):
        ctx.indicators.query(indicator="residents", dimensions=["town"]).total()
    raw = rows(ctx.indicators.query(indicator="residents", dimensions=["town"], protect=False))
    assert raw["书院镇"] == (3.0, None)


def test_enterprise_magnitudes_follow_min_n_dominance_and_p_percent(ctx: Context) -> None:
    got = rows(ctx.indicators.query(indicator="revenue", dimensions=["town"]))
    assert got["南汇新城镇"] == (1000.0, None)  # n = 5, no dominance: published
    assert got["泥城镇"][1] == "dominance"  # 900 of 1000
    assert got["书院镇"][1] == "min_n"  # two firms
    assert got["万祥镇"] == (355.0, None)  # 100 of 355 < 85 %, rest 175 > 10 % of 100
