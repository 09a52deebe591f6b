"""Dashboards without a browser: the YAML schema and its errors, relative windows, every chart kind
shaped from real indicator results, filters, cross-filters, drill-down, grants, audit and export."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lingshu.core.context import Context
from lingshu.core.errors import ConfigError
from lingshu.dashboards.basemap import _from_synth, _snapshot, lingang_basemap
from lingshu.dashboards.errors import DashboardError
from lingshu.dashboards.kinds import CHART_KINDS, period_range
from lingshu.dashboards.loader import check_dashboard, load_dashboard
from lingshu.dashboards.maps import cluster, parse_line_wkt
from lingshu.dashboards.service import DashboardService, ViewState
from lingshu.dashboards.windows import parse_window, resolve
from lingshu.indicators.spec import Grain
from lingshu.security.accounts import AccessDenied, Principal

WU = Principal("wu", ("analyst",))
NOGRANT = Principal("nogrant", ("analyst",))


@pytest.fixture(scope="module")
def svc(dash_ctx: Context) -> DashboardService:
    return DashboardService(dash_ctx)


def state(**kw: object) -> ViewState:
    return ViewState.parse(json.dumps(kw, ensure_ascii=False))


# -- schema ---------------------------------------------------------------------------------------
def test_yaml_errors_name_file_line_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: d\ntitle: 看板\ncharts:\n  - id: a\n    type: pie\n    indicator: x\n"
                    "  - id: b\n    type: donut\n    indicator: x\n    dimensions: [town]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_dashboard("p", path)
    text = str(info.value)
    assert f"{path}:4" in text and "takes 1..1 dimensions" in text  # pie without a dimension
    assert f"{path}:7" in text and "unknown chart type 'donut'" in text and "sankey" in text
    path.write_text("id: d\ntitle: t\ncharts:\n  - id: a\n    type: kpi\n    indicator: x\n    colour: red\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml:7.*unknown key"):
        load_dashboard("p", path)


def test_indicator_references_are_checked_against_the_catalog(tmp_path: Path, dash_ctx: Context) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("id: d\ntitle: t\ncharts:\n  - id: a\n    type: bar\n    indicator: enterprise_count\n"
                    "    dimensions: [street]\n", encoding="utf-8")
    with pytest.raises(DashboardError) as info:
        check_dashboard(load_dashboard("example_enterprises", path), dash_ctx.indicators)
    assert info.value.where == f"{path}:7" and "no dimension 'street'" in info.value.message
    path.write_text("id: d\ntitle: t\ncharts:\n  - id: a\n    type: line\n    indicator: capital_median\n"
                    "    grain: month\n", encoding="utf-8")
    with pytest.raises(DashboardError, match="does not allow grain month"):
        check_dashboard(load_dashboard("example_enterprises", path), dash_ctx.indicators)


def test_every_pack_dashboard_loads(svc: DashboardService) -> None:
    assert {"example_enterprises/overview", "map_layers/layers"} <= set(svc.dashboards)


# -- windows --------------------------------------------------------------------------------------
def test_relative_windows_move_with_the_clock() -> None:
    assert resolve("last_3_years", dt.date(2024, 2, 29)) == (dt.date(2021, 2, 28), dt.date(2024, 3, 1))
    assert resolve("last_3_years", dt.date(2025, 6, 1)) == (dt.date(2022, 6, 1), dt.date(2025, 6, 2))
    assert resolve("last_1_months", dt.date(2024, 3, 31)) == (dt.date(2024, 2, 29), dt.date(2024, 4, 1))
    assert resolve("this_quarter", dt.date(2024, 8, 15)) == (dt.date(2024, 7, 1), dt.date(2024, 8, 16))
    assert resolve("2020-01-01..", dt.date(2024, 1, 1)) == (dt.date(2020, 1, 1), None)
    assert resolve("all") == (None, None)
    assert parse_window("last_7_days").label == "近7天"
    with pytest.raises(ValueError, match="last_N_days"):
        parse_window("yesterday-ish")


def test_the_service_resolves_windows_at_each_request(svc: DashboardService, dash_ctx: Context) -> None:
    dash = svc.get("example_enterprises", "overview")
    view = state(filters={"period": "last_5_years"})
    seen = []
    for today in (dt.date(2022, 12, 31), dt.date(2026, 12, 31)):
        got = svc.data(WU, dash, view, ["kpis"], today=today)["charts"]["kpis"]["kpi"][0]["value"]
        start, end = resolve("last_5_years", today)
        direct = dash_ctx.indicators.query(indicator="enterprise_count", start=start, end=end).table
        assert got == direct.column("value")[0].as_py()
        seen.append(got)
    assert seen[0] != seen[1]  # same view state, a later day: the window slid forward


def test_period_labels_round_trip() -> None:
    assert period_range(Grain.year, "2021") == (dt.datetime(2021, 1, 1), dt.datetime(2022, 1, 1))
    assert period_range(Grain.quarter, "2021Q4") == (dt.datetime(2021, 10, 1), dt.datetime(2022, 1, 1))
    assert period_range(Grain.month, "2021-12") == (dt.datetime(2021, 12, 1), dt.datetime(2022, 1, 1))


# -- every kind from real results -----------------------------------------------------------------
def test_every_chart_kind_is_used_and_has_data(svc: DashboardService) -> None:
    kinds = set()
    for key in ("example_enterprises/overview", "map_layers/layers"):
        dash = svc.get(*key.split("/"))
        out = svc.data(WU, dash, ViewState())["charts"]
        for chart_id, payload in out.items():
            assert payload.get("error") is None, (chart_id, payload.get("error"))
            assert payload["empty"] is False, chart_id
            kinds.add(payload["type"])
    assert kinds == set(CHART_KINDS)


def test_bar_values_equal_the_indicator_layer(svc: DashboardService, dash_ctx: Context) -> None:
    out = svc.data(WU, svc.get("example_enterprises", "overview"), ViewState(), ["by_town"])["charts"]["by_town"]
    direct = {r["town"]: r["value"] for r in dash_ctx.indicators.query(
        indicator="enterprise_count", dimensions=["town"]).table.to_pylist()}
    option = out["option"]
    assert dict(zip(option["xAxis"]["data"], option["series"][0]["data"], strict=True)) == direct
    assert option["series"][0]["data"] == sorted(option["series"][0]["data"], reverse=True)  # sort: value


def test_filters_cross_filter_and_drill(svc: DashboardService) -> None:
    dash = svc.get("example_enterprises", "overview")
    towns = svc.filter_options(WU, dash, "town")
    assert "南汇新城镇" in towns and len(towns) == 11
    one = svc.data(WU, dash, state(filters={"town": ["泥城镇", "海湾镇"]}), ["kpis", "town_share"])["charts"]
    assert one["kpis"]["kpi"][0]["value"] == 2
    assert {d["name"] for d in one["town_share"]["option"]["series"][0]["data"]} == {"泥城镇", "海湾镇"}
    # A cross-filter from the bar narrows the other charts but not the bar itself.
    cross = svc.data(WU, dash, state(cross={"chart": "by_town", "value": "南汇新城镇"}), ["kpis", "by_town"])["charts"]
    assert cross["kpis"]["kpi"][0]["value"] == 2
    assert len(cross["by_town"]["option"]["xAxis"]["data"]) == 11
    # Drill: a town on the bar -> its years; a year on the line -> its months.
    drilled = svc.data(WU, dash, state(drill={"by_town": ["南汇新城镇"], "by_year": ["2021"]}),
                       ["by_town", "by_year"])["charts"]
    assert drilled["by_town"]["option"]["xAxis"]["data"] == ["2019", "2021"]
    assert drilled["by_town"]["drill"] == {"depth": 1, "levels": 1}
    assert drilled["by_year"]["option"]["xAxis"]["data"] == ["2021-03", "2021-06"]


def test_map_layers_and_table_paging(svc: DashboardService) -> None:
    dash = svc.get("map_layers", "layers")
    out = svc.data(WU, dash, state(filters={"town": ["泥城镇"]}, pages={"poi_table": 1}))["charts"]
    series = {s["type"]: s for s in out["poi_map"]["option"]["series"]}
    assert set(series) == {"map", "lines", "scatter", "heatmap"}
    assert [d["name"] for d in series["map"]["data"] if d["value"] is not None] == ["泥城镇"]
    assert len(series["map"]["data"]) == 11  # the other towns are drawn as "no data"
    assert sum(p["value"][2] for p in series["scatter"]["data"]) == 16  # clustered, nothing lost
    assert {d["lineStyle"]["color"] for d in series["lines"]["data"]} == {"#2e7d32", "#fbc02d", "#c62828"}
    table = out["poi_table"]["table"]
    assert table["total"] == 16 and table["page"] == 1 and len(table["rows"]) == 6
    assert table["masked"] == ["contact_phone", "name"] and table["rows"][0]["contact_phone"].startswith("138****")


def test_map_helpers() -> None:
    assert parse_line_wkt("LINESTRING(1 2, 3 4)") == [[[1.0, 2.0], [3.0, 4.0]]]
    assert parse_line_wkt("MULTILINESTRING((1 2, 3 4), (5 6, 7 8))") == [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]
    assert parse_line_wkt("POINT(1 2)") == []
    merged = cluster([{"lon": 121.901, "lat": 30.901}, {"lon": 121.902, "lat": 30.902}, {"lon": 121.95, "lat": 30.95}], 0.01)
    assert sorted(p["value"][2] for p in merged) == [1, 2]


def test_basemap_has_lingang_layers_and_matches_the_snapshot() -> None:
    layers = {}
    for f in lingang_basemap()["features"]:
        layers.setdefault(f["properties"]["layer"], []).append(f["properties"]["name"])
    assert len(layers["town"]) == 11 and "南汇新城镇" in layers["town"] and layers["water"] == ["滴水湖"]
    assert len(layers["road"]) > 20
    # The snapshot is the fallback; it must stay what the generator draws (refresh it with
    # `python -m lingshu.dashboards.basemap` when lingshu.synth's geography changes).
    assert _snapshot()["features"] == json.loads(json.dumps(_from_synth()["features"]))


# -- grants, audit, export ------------------------------------------------------------------------
def test_without_grants_charts_say_so_and_the_denial_is_audited(svc: DashboardService, dash_ctx: Context) -> None:
    out = svc.data(NOGRANT, svc.get("example_enterprises", "overview"), ViewState(), ["kpis", "town_table"])
    assert out["charts"]["kpis"]["error"].startswith("无权查看")
    assert out["charts"]["town_table"]["error"].startswith("无权查看")
    last = dash_ctx.security.audit.list(limit=1, actor="nogrant")[0]
    assert last["action"] == "dashboard.view" and last["outcome"] == "denied"
    assert "indicator:example_enterprises.enterprise_count" in last["detail"]
    with pytest.raises(AccessDenied):
        svc.export_xlsx(NOGRANT, svc.get("example_enterprises", "overview"), "by_town", ViewState())


def test_views_are_audited_with_the_resources_read(svc: DashboardService, dash_ctx: Context) -> None:
    svc.data(WU, svc.get("map_layers", "layers"), ViewState(), ["poi_map"])
    last = dash_ctx.security.audit.list(limit=1, actor="wu")[0]
    detail = json.loads(last["detail"])
    assert last["resource"] == "dashboard:map_layers/layers" and last["outcome"] == "allowed"
    assert {"dataset:dwd.test_poi", "dataset:dwd.test_segment", "indicator:map_layers.poi_count"} <= set(detail["resources"])
    assert dash_ctx.security.audit.verify().ok


def test_xlsx_export_has_the_rows_and_the_definition(svc: DashboardService) -> None:
    dash = svc.get("example_enterprises", "overview")
    book = load_workbook(io.BytesIO(svc.export_xlsx(WU, dash, "by_town", state(filters={"town": ["泥城镇", "书院镇"]}))))
    sheet = book["在册企业数"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("所属镇", "在册企业数（家）")
    assert sorted(rows[1:]) == [("书院镇", 1), ("泥城镇", 1)]
    about = [r for r in book["说明"].iter_rows(values_only=True)]
    assert any(r and r[0] == "enterprise_count" and "统一社会信用代码" in r[2] for r in about)
    table = load_workbook(io.BytesIO(svc.export_xlsx(WU, svc.get("map_layers", "layers"), "poi_table", ViewState())))
    assert table.worksheets[0].max_row == 81  # every row, not just the page on screen


def test_bad_view_state_is_a_clear_error() -> None:
    with pytest.raises(DashboardError, match="bad view state"):
        ViewState.parse('{"filters": 3}')
