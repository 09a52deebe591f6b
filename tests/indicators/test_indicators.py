"""The indicator layer on a real DuckDB warehouse: additivity, derived values, materializations."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingshu.core.context import Context
from lingshu.core.errors import LingshuError
from lingshu.core.workspace import init_workspace
from lingshu.indicators import IndicatorError
from support import write_files

TRIPS_SQL = """
SELECT i AS trip_id,
       ['南汇新城镇', '泥城镇', '书院镇'][1 + i % 3] AS town,
       ['主干路', '次干路'][1 + (i // 7) % 2] AS road_class,
       TIMESTAMP '2026-01-01' + INTERVAL (i * 37) MINUTE AS ts,
       20 + (i * 13) % 50 AS speed,
       i % 41 AS vehicle_id
FROM range(5000) t(i)
"""

INDICATORS = """
indicators:
  - {id: trips, name: 行程数, definition: 行程条数, model: dwd.trips, measure: {agg: count},
     dimensions: [town, road_class], time: {column: ts, grains: [hour, day, month]}, precision: 0}
  - {id: fast_trips, name: 畅行行程数, definition: 速度高于50的行程, model: dwd.trips, measure: {agg: count},
     filters: ["speed > 50"], dimensions: [town], time: {column: ts, grains: [day, month]}, precision: 0}
  - {id: speed_sum, name: 速度合计, definition: 速度之和, model: dwd.trips, measure: {agg: sum, column: speed},
     dimensions: [town, road_class], time: {column: ts, grains: [hour, day, month]}}
  - {id: avg_speed, name: 平均速度, definition: 速度均值, model: dwd.trips, measure: {agg: avg, column: speed},
     dimensions: [town, road_class], time: {column: ts, grains: [day, month]}, precision: 4}
  - {id: vehicles, name: 车辆数, definition: 不同车辆数, model: dwd.trips,
     measure: {agg: count_distinct, column: vehicle_id}, dimensions: [town, road_class],
     time: {column: ts, grains: [day, month]}, precision: 0}
  - {id: p85, name: 85分位速度, definition: 速度85分位, model: dwd.trips,
     measure: {agg: percentile, column: speed, fraction: 0.85}, dimensions: [town]}
  - {id: speed_per_trip, name: 每行程速度, definition: 速度合计除以行程数,
     measure: {agg: ratio, numerator: speed_sum, denominator: trips}, dimensions: [town], precision: 4}
  - {id: fast_share, name: 畅行占比, definition: 畅行行程数占行程数百分比,
     measure: {agg: formula, formula: "f / t * 100", inputs: {f: fast_trips, t: trips}},
     dimensions: [town], precision: 4}
materializations:
  - {name: trips_by_town_day, indicators: [trips, speed_sum, avg_speed, vehicles],
     dimensions: [town, road_class], grain: day}
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("ind")
    packs = write_files(tmp / "packs" / "traffic", {
        "pack.yaml": "id: traffic\nname: 测试交通\ndomain: example\ndepartment: 测试\nindicators: indicators.yaml\n",
        "indicators.yaml": INDICATORS,
        "models/dwd/trips.sql": TRIPS_SQL,
    }).parent
    ws = init_workspace(tmp / "ws", pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    with Context(ws) as context:
        report = context.run("traffic")
        assert report.status == "success"
        yield context


def values(ctx: Context, materialized: bool = True, **query) -> dict:
    result = ctx.indicators.query(materialized=materialized, **query)
    keys = [c for c in result.table.column_names if c != "value"]
    return {tuple(row[k] for k in keys): row["value"] for row in result.table.to_pylist()}


def test_additive_indicator_by_town_sums_to_total(ctx: Context) -> None:
    for indicator in ("trips", "speed_sum"):
        total = ctx.indicators.query(indicator=indicator).table.column("value")[0].as_py()
        by_town = ctx.indicators.query(indicator=indicator, dimensions=["town"])
        assert by_town.total() == pytest.approx(total)
    assert ctx.indicators.query(indicator="trips").table.column("value")[0].as_py() == 5000


def test_non_additive_indicators_refuse_to_sum(ctx: Context) -> None:
    by_town = ctx.indicators.query(indicator="vehicles", dimensions=["town"])
    total = ctx.indicators.query(indicator="vehicles").table.column("value")[0].as_py()
    # Summing would be wrong here: the same vehicle drives in several towns.
    assert sum(by_town.table.column("value").to_pylist()) > total == 41
    for indicator in ("vehicles", "avg_speed", "p85", "speed_per_trip", "fast_share"):
        with pytest.raises(IndicatorError, match="cannot be summed"):
            ctx.indicators.query(indicator=indicator, dimensions=["town"]).total()


def test_derived_indicators_equal_their_formula(ctx: Context) -> None:
    sums = values(ctx, indicator="speed_sum", dimensions=["town"])
    trips = values(ctx, indicator="trips", dimensions=["town"])
    fast = values(ctx, indicator="fast_trips", dimensions=["town"])
    ratio = values(ctx, indicator="speed_per_trip", dimensions=["town"])
    share = values(ctx, indicator="fast_share", dimensions=["town"])
    assert set(ratio) == set(trips) == {("南汇新城镇",), ("泥城镇",), ("书院镇",)}
    for town in trips:
        assert ratio[town] == pytest.approx(round(sums[town] / trips[town], 4))
        assert share[town] == pytest.approx(round(fast[town] / trips[town] * 100, 4))
    # And the ratio equals the plain average, computed independently in SQL.
    for row in ctx.engine.query("SELECT town, avg(speed) AS a FROM dwd.trips GROUP BY town").to_pylist():
        assert ratio[(row["town"],)] == pytest.approx(row["a"], abs=1e-4)


QUERIES = [
    dict(indicator="trips", dimensions=["town", "road_class"], grain="day"),  # exact match
    dict(indicator="trips", dimensions=["town"], grain="month"),  # re-aggregated
    dict(indicator="speed_sum", dimensions=[]),
    dict(indicator="avg_speed", dimensions=["road_class"], grain="month"),  # avg via sum and count
    dict(indicator="vehicles", dimensions=["town", "road_class"], grain="day"),  # exact only
    dict(indicator="trips", dimensions=["town"], grain="day", start="2026-01-10", end="2026-01-20"),
    dict(indicator="trips", dimensions=["road_class"], filters={"town": ["泥城镇", "书院镇"]}),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q['indicator']}-{'-'.join(q['dimensions'])}")
def test_materialized_and_on_the_fly_agree(ctx: Context, query: dict) -> None:
    fast = ctx.indicators.query(**query)
    slow = ctx.indicators.query(materialized=False, **query)
    assert fast.source == "materialized:dws.traffic_trips_by_town_day"
    assert slow.source == "model:dwd.trips"
    assert fast.table.num_rows > 0
    assert fast.table.to_pylist() == slow.table.to_pylist()


def test_distinct_count_is_not_reaggregated_from_a_finer_table(ctx: Context) -> None:
    result = ctx.indicators.query(indicator="vehicles", dimensions=["town"], grain="month")
    assert result.source == "model:dwd.trips"
    assert result.table.column("value").to_pylist() == [41.0, 41.0, 41.0] * (result.table.num_rows // 3)


def test_time_range_and_filters_match_plain_sql(ctx: Context) -> None:
    got = values(ctx, indicator="trips", dimensions=["town"], start="2026-01-05", end="2026-01-07",
                 filters={"town": "泥城镇"})
    expected = ctx.engine.scalar("SELECT count(*) FROM dwd.trips WHERE town = '泥城镇' "
                                 "AND ts >= TIMESTAMP '2026-01-05' AND ts < TIMESTAMP '2026-01-07'")
    assert got == {("泥城镇",): expected}


def test_filter_values_cannot_inject_sql(ctx: Context) -> None:
    got = values(ctx, indicator="trips", dimensions=["town"], filters={"town": "x' OR '1'='1"})
    assert got == {}


@pytest.mark.parametrize("query, message", [
    (dict(indicator="trips", dimensions=["industry"]), "no dimension 'industry'"),
    (dict(indicator="trips", grain="year"), "does not allow grain year"),
    (dict(indicator="p85", grain="day"), "has no time column"),
    (dict(indicator="nothing"), "no indicator 'nothing'"),
    (dict(indicator="speed_per_trip", dimensions=["road_class"]), "no dimension 'road_class'"),
])
def test_invalid_queries_are_refused_with_reasons(ctx: Context, query: dict, message: str) -> None:
    with pytest.raises(LingshuError, match=message):
        ctx.indicators.query(**query)


def test_materialization_is_a_logged_model(ctx: Context) -> None:
    run = ctx.state.list_runs("traffic")[-1]
    log = {r["table_name"]: r for r in ctx.state.updates(run["id"])}
    mat = log["dws.traffic_trips_by_town_day"]
    assert mat["status"] == "success"
    assert mat["rows_after"] == ctx.engine.scalar("SELECT count(*) FROM dws.traffic_trips_by_town_day")


def test_catalog_lists_definitions_and_lineage(ctx: Context) -> None:
    rows = {r["id"]: r for r in ctx.indicators.catalog()}
    assert rows["trips"]["additive"] and rows["trips"]["materialized_in"] == ["dws.traffic_trips_by_town_day"]
    assert rows["vehicles"]["decomposable"] is False
    assert rows["speed_per_trip"]["formula"] == "speed_sum / trips"
    assert rows["fast_share"]["model"] is None


def test_definition_change_changes_fingerprint(ctx: Context) -> None:
    _, _, spec = ctx.indicators.resolve("fast_trips")
    changed = spec.model_copy(update={"filters": ["speed > 60"]})
    renamed = spec.model_copy(update={"name": "改名"})
    assert changed.fingerprint() != spec.fingerprint()
    assert renamed.fingerprint() == spec.fingerprint()


def test_materialization_naming_unknown_indicator_is_an_error(tmp_path: Path) -> None:
    from lingshu.pack.loader import load_pack

    root = write_files(tmp_path / "p", {
        "pack.yaml": "id: p\nname: 测\ndomain: example\ndepartment: 测\nindicators: indicators.yaml\n",
        "indicators.yaml": INDICATORS.replace("indicators: [trips, speed_sum", "indicators: [trip, speed_sum"),
        "models/dwd/trips.sql": TRIPS_SQL,
    })
    with pytest.raises(IndicatorError) as err:
        load_pack(root)
    assert "trip" in err.value.message and "indicators.yaml" in err.value.where


def test_changed_definition_gets_a_new_version_and_results_name_it(ctx: Context) -> None:
    from lingshu.indicators.service import IndicatorService

    first = ctx.indicators.query(indicator="fast_trips")
    assert first.meta()["version"] == 1
    key, pack, spec = ctx.indicators.resolve("fast_trips")
    service = IndicatorService(ctx.catalog, ctx.engine, ctx.state)
    changed = spec.model_copy(update={"filters": ["speed > 60"]})
    renamed = spec.model_copy(update={"name": "畅行行程数（新名）"})
    service.specs[key] = (pack, changed)
    second = service.query(indicator="fast_trips")
    assert second.meta()["version"] == 2 and second.meta()["declared_version"] == 1
    assert second.table.column("value")[0].as_py() < first.table.column("value")[0].as_py()
    service.specs[key] = (pack, renamed)
    assert service.query(indicator="fast_trips").meta()["version"] == 1  # a new name is not a new 口径
    history = service.history(key)
    assert [h["version"] for h in history] == [1, 2]
    assert history[1]["definition"]["filters"] == ["speed > 60"]
