"""重点区域客流 end to end on a tiny synthetic world: occupancy against the Python reference, drift
correction on counts that disagree, alert levels from the declared thresholds, and the forecast
against its Python reference, with its error measured on held-back days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingshu.analysis import passenger
from lingshu.analysis.sql import register_sql
from lingshu.engines import open_engine
from packs.transport_support import TRANSPORT, charts_read_through_indicators, render_all_dashboards, transport_context

PACK = "passenger_flow"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, synth_world: Path) -> Iterator:
    yield from transport_context(tmp_path_factory.mktemp("ws"), synth_world, [PACK])


def q(ctx, sql: str) -> pd.DataFrame:
    return ctx.query(sql).to_pandas()


def test_runs_end_to_end(ctx) -> None:
    report = ctx.reports[PACK]
    assert report.status == "success", [(s.table, s.error) for s in report.failed]


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=60))
def test_closed_form_equals_the_recursion(counts: list[tuple[int, int]]) -> None:
    inflow, outflow = np.array(counts).T
    assert passenger.drift_corrected_occupancy(inflow, outflow).tolist() == \
        passenger.drift_corrected_occupancy_loop(inflow, outflow).tolist()


def test_occupancy_agrees_with_python_reference(ctx, synth_world: Path) -> None:
    raw = pd.read_json(synth_world / "sources" / "http" / "kl_passenger_flow.jsonl", lines=True)
    raw["day"] = pd.to_datetime(raw["period_start"]).dt.date
    got = q(ctx, "SELECT area_id, ts, occupancy FROM dws.pf_area_15min ORDER BY area_id, ts")
    ref = []
    for _, g in raw.sort_values(["area_id", "period_start"]).groupby(["area_id", "day"], sort=True):
        ref.extend(passenger.drift_corrected_occupancy(g["inflow"].to_numpy(), g["outflow"].to_numpy()))
    assert got["occupancy"].tolist() == [int(x) for x in ref]


def test_drift_correction_in_the_model_sql() -> None:
    """The pack's own model SQL on counts whose exits run ahead of entries."""
    e = open_engine("duckdb", ":memory:")
    register_sql(e)
    inflow = [5, 0, 0, 10, 3, 0]
    outflow = [2, 6, 1, 4, 0, 5]  # raw balance 3, -3, -4, 2, 5, 0
    ts = pd.date_range("2025-10-02 09:00", periods=6, freq="15min")
    for schema in ("dwd", "ods"):
        e.execute(f"CREATE SCHEMA {schema}")
    e.execute("CREATE TABLE ods.pf_area AS SELECT 'KA9' AS area_id, 100 AS capacity, 121.9 AS lon, 30.9 AS lat")
    e.execute("CREATE TABLE ods.pf_alert_level AS SELECT 'KA9' AS area_id, 0.05 AS yellow_ratio, "
              "0.08 AS orange_ratio, 0.1 AS red_ratio")
    flow = pd.DataFrame({"area_id": "KA9", "area_name": "测试区", "area_kind": "景区", "ts": ts, "day": ts.date,
                         "slot": ts.hour * 4 + ts.minute // 15, "inflow": inflow, "outflow": outflow,
                         "day_type": "节假日", "day_class": "休息日", "holiday": "国庆节", "event_name": None})
    e.con.register("flow_df", flow)
    e.execute("CREATE TABLE dwd.pf_flow AS SELECT * FROM flow_df")
    sql = (TRANSPORT / PACK / "models" / "dws" / "pf_area_15min.sql").read_text(encoding="utf-8")
    out = e.query(sql + " ORDER BY ts").to_pandas()
    assert out["occupancy_raw"].tolist() == [3, -3, -4, 2, 5, 0]
    assert out["occupancy"].tolist() == passenger.drift_corrected_occupancy_loop(inflow, outflow).tolist() \
        == [3, 0, 0, 6, 9, 4]
    assert out["drift_corrected"].tolist() == [False, True, True, True, True, True]
    assert out["alert_level"].tolist() == ["正常", "正常", "正常", "黄色预警", "橙色预警", "正常"]


def test_alert_levels_follow_declared_thresholds(ctx) -> None:
    m = q(ctx, "SELECT m.occupancy, m.capacity, m.alert_level, l.yellow_ratio, l.orange_ratio, l.red_ratio "
               "FROM dws.pf_area_15min m JOIN ods.pf_alert_level l USING (area_id)")
    u = m["occupancy"] / m["capacity"]
    expected = np.select([u >= m["red_ratio"], u >= m["orange_ratio"], u >= m["yellow_ratio"]],
                         ["红色预警", "橙色预警", "黄色预警"], "正常")
    assert (m["alert_level"] == expected).all()


def test_forecast_agrees_with_python_reference_and_error_is_measured(ctx) -> None:
    base = q(ctx, "SELECT area_id, ts, inflow, occupancy FROM dws.pf_area_15min")
    fc = q(ctx, "SELECT * FROM ads.pf_forecast")
    assert fc["is_live"].any()
    groups = list(fc.groupby(["area_id", "origin_ts"]))
    live = [g for g in groups if g[1]["is_live"].iloc[0]]
    for (area, origin), got in groups[::97][:5] + live[:1]:
        ref = passenger.profile_level_forecast(base[base["area_id"] == area].sort_values("ts"), pd.Timestamp(origin))
        got = got.sort_values("target_ts")
        assert got["target_ts"].tolist() == ref["target_ts"].tolist()
        assert np.allclose(got["forecast_occupancy"], ref["forecast_occupancy"], atol=0.06)
        assert got["level"].iloc[0] == pytest.approx(ref["level"].iloc[0], abs=1e-4)
    err = q(ctx, "SELECT * FROM ads.pf_forecast_error")
    assert set(err["horizon_hour"]) == {1, 2, 3, 4} and (err["held_back_days"] >= 1).all()
    # the level adjustment must beat the bare seasonal profile on the held-back days
    assert err["wape_occupancy"].mean() < err["wape_profile_only"].mean()


def test_holiday_against_last_years_same_holiday(ctx, synth_world: Path) -> None:
    """Each 15-minute slot of this year's holiday next to the same slot of the day with the same
    place in last year's holiday of that name, last year's counts cleaned and drift-corrected."""
    got = q(ctx, "SELECT * FROM ads.pf_holiday_yoy ORDER BY area_id, ts")
    hist = pd.read_json(synth_world / "sources" / "http" / "kl_passenger_flow_history.jsonl", lines=True)
    hist["ts"] = pd.to_datetime(hist["period_start"])
    hist["day"] = hist["ts"].dt.date
    # The test world's passenger days start on National Day 2025 (eight days); 2024's had seven.
    last_days = sorted(hist["day"].unique())
    assert last_days == [dt.date(2024, 10, d) for d in range(1, 8)]
    assert set(got["holiday"]) == {"国庆节"} and set(got["holiday_year"]) == {2025}
    days = got.drop_duplicates("day").sort_values("day")
    assert days["day"].tolist() == [dt.date(2025, 10, d) for d in range(1, 9)]
    assert days["holiday_day"].tolist() == list(range(1, 9))
    assert days["day_last_year"].iloc[:7].tolist() == last_days and pd.isna(days["day_last_year"].iloc[7])
    assert got.loc[got["holiday_day"] == 8, ["inflow_last_year", "occupancy_last_year"]].isna().all().all()
    # last year's side against the Python reference of the drift correction
    ref = []
    for (area, day), g in hist.sort_values("ts").groupby(["area_id", "day"]):
        occupancy = passenger.drift_corrected_occupancy(g["inflow"].to_numpy(), g["outflow"].to_numpy())
        ref += [(area, day, t.hour * 4 + t.minute // 15, i, o) for t, i, o in zip(g["ts"], g["inflow"], occupancy, strict=True)]
    ref = pd.DataFrame(ref, columns=["area_id", "day_last_year", "slot", "inflow_ref", "occupancy_ref"])
    paired = got[got["holiday_day"] <= 7].merge(ref, on=["area_id", "day_last_year", "slot"], how="left")
    assert len(paired) == len(ref) == 8 * 7 * 96
    assert (paired["inflow_last_year"] == paired["inflow_ref"]).all()
    assert (paired["occupancy_last_year"] == paired["occupancy_ref"]).all()
    # this year's side is the pack's own 15-minute table, row for row
    this = q(ctx, "SELECT area_id, ts, inflow, occupancy FROM dws.pf_area_15min WHERE holiday IS NOT NULL "
                  "ORDER BY area_id, ts")
    pd.testing.assert_frame_equal(got[["area_id", "ts", "inflow", "occupancy"]], this, check_dtype=False)
    # and the big screen's curves read it through the two indicators
    yoy = ctx.indicators.query(indicator="passenger_flow.holiday_inflow_last_year", grain="day").table.to_pandas()
    assert yoy["value"].iloc[:7].tolist() == hist.groupby("day")["inflow"].sum().tolist()


def test_api_for_emergency_staff_and_dashboards(ctx) -> None:
    now = q(ctx, "SELECT * FROM ads.pf_area_now")
    assert len(now) == 8 and now["forecast_alert_level"].notna().all()
    assert "ads.pf_area_now" in ctx.catalog.get(PACK).spec.apis
    charts_read_through_indicators(ctx, PACK)
    render_all_dashboards(ctx, PACK)
    util = ctx.indicators.query(indicator="passenger_flow.utilisation_now", dimensions=["area_name"]).table.to_pandas()
    ref = (now.set_index("area_name")["occupancy"] / now.set_index("area_name")["capacity"] * 100)
    for _, r in util.iterrows():
        assert r["value"] == pytest.approx(ref[r["area_name"]], abs=0.05)
