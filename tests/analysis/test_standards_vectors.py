"""Every test vector of STANDARDS.md sections 6 (GB/T 33171) and 7 (JTG 5210), in Python and in SQL.

The SQL macros are what the packs run; the Python functions are the reference. Both must give the
standards' numbers, including the exact boundary cases.
"""

from __future__ import annotations

import pytest

from lingshu.analysis import holidays, pavement, traffic
from lingshu.analysis.sql import register_sql
from lingshu.engines import open_engine


@pytest.fixture(scope="module")
def engine():
    e = open_engine("duckdb", ":memory:")
    register_sql(e)
    yield e
    e.close()


def sql1(engine, expr: str, *params):
    return engine.scalar(f"SELECT {expr}", list(params))


# -- JTG 5210-2018 section 7 --------------------------------------------------------------------
PCI_VECTORS = [  # (DR %, pavement, PCI, grade)
    (0, "沥青", 100.00, "优"), (1, "沥青", 85.00, "良"), (10, "沥青", 61.27, "次"),
    (0, "水泥混凝土", 100.00, "优"), (1, "水泥混凝土", 89.34, "良"), (10, "水泥混凝土", 69.19, "次"),
]


@pytest.mark.parametrize(("dr", "pav", "expected", "grade"), PCI_VECTORS)
def test_pci_vectors_python(dr, pav, expected, grade):
    got = float(pavement.pci(dr, pav))
    assert got == pytest.approx(expected, abs=0.005)
    assert pavement.grade(got) == grade


@pytest.mark.parametrize(("dr", "pav", "expected", "grade"), PCI_VECTORS)
def test_pci_vectors_sql(engine, dr, pav, expected, grade):
    assert sql1(engine, "jtg5210_pci(?, ?)", dr, pav) == pytest.approx(expected, abs=0.005)
    assert sql1(engine, "jtg5210_grade(jtg5210_pci(?, ?))", dr, pav) == grade


def test_gravel_constants_and_clamping(engine):
    # a0 = 10.10, a1 = 0.487: DR 1 % -> 89.90; DR above 100 % is capped, PCI never negative.
    assert float(pavement.pci(1, "砂石")) == pytest.approx(89.90)
    assert sql1(engine, "jtg5210_pci(1, '砂石')") == pytest.approx(89.90)
    assert sql1(engine, "jtg5210_pci(250, '沥青')") == pytest.approx(float(pavement.pci(250, "沥青")))
    assert float(pavement.pci(100, "沥青")) >= 0


@pytest.mark.parametrize(("score", "grade"), [
    (100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"), (70, "中"), (69.99, "次"), (60, "次"),
    (59.99, "差"), (0, "差")])
def test_grade_boundaries(engine, score, grade):
    assert pavement.grade(score) == grade
    assert sql1(engine, "jtg5210_grade(?::DOUBLE)", score) == grade


ALL_WEIGHTS = [(pav, typ, sev) for pav, types in pavement.WEIGHTS.items() for typ in types for sev in pavement.SEVERITIES]


def test_weights_as_listed():
    w = pavement.weight
    assert [w("沥青", "龟裂", s) for s in "轻中重"] == [0.6, 0.8, 1.0]
    assert (w("沥青", "块状裂缝", "轻"), w("沥青", "块状裂缝", "重")) == (0.6, 0.8)
    assert (w("沥青", "泛油", "重"), w("沥青", "修补", "轻")) == (0.2, 0.1)
    assert (w("水泥混凝土", "接缝料损坏", "轻"), w("水泥混凝土", "接缝料损坏", "重")) == (0.4, 0.6)
    assert (w("水泥混凝土", "破碎板", "轻"), w("水泥混凝土", "露骨", "中")) == (0.8, 0.3)
    # 中 on a two-level type counts as 重 (the documented, maintenance-safe choice)
    assert w("沥青", "纵向裂缝", "中") == 1.0
    with pytest.raises(pavement.PavementError, match="not a JTG 5210 distress"):
        w("沥青", "露骨", "轻")


@pytest.mark.parametrize(("pav", "typ", "sev"), ALL_WEIGHTS)
def test_sql_weights_match_python(engine, pav, typ, sev):
    assert sql1(engine, "jtg5210_weight(?, ?, ?)", pav, typ, sev) == pavement.weight(pav, typ, sev)


def test_damage_ratio():
    # 2 m2 of 重 龟裂 (1.0) and 10 m2 of 修补 (0.1) on 300 m2: DR = 100 * 3 / 300 = 1 % -> PCI 85
    dr = pavement.damage_ratio(2 * 1.0 + 10 * 0.1, 300)
    assert float(dr) == pytest.approx(1.0)
    assert float(pavement.pci(dr, "沥青")) == 85.0


# -- GB/T 33171-2016 section 6 ------------------------------------------------------------------
GRADE_VECTORS = [(50, 60, "畅通"), (42, 60, "基本畅通"), (30, 60, "轻度拥堵"), (18, 60, "严重拥堵")]
BOUNDARIES = [  # exactly on each bound belongs to the worse grade
    (42.001, 60, "畅通"), (30, 60, "轻度拥堵"), (30.01, 60, "基本畅通"), (24, 60, "中度拥堵"),
    (24.01, 60, "轻度拥堵"), (18.01, 60, "中度拥堵"), (0, 60, "严重拥堵"), (41.3, 59, "基本畅通"), (41.31, 59, "畅通")]


@pytest.mark.parametrize(("v", "vf", "grade"), GRADE_VECTORS + BOUNDARIES)
def test_segment_grade(engine, v, vf, grade):
    assert traffic.segment_grade(v, vf) == grade
    assert sql1(engine, "gbt33171_grade(?::DOUBLE, ?::DOUBLE)", v, vf) == grade


@pytest.mark.parametrize(("v", "vf", "grade"), GRADE_VECTORS + BOUNDARIES)
def test_segment_grade_in_thousandths(engine, v, vf, grade):
    # what dws.cg_segment_15min runs: both speeds converted to integer thousandths beforehand
    milli = "CAST(round(?::DOUBLE * 1000) AS BIGINT)"
    assert sql1(engine, f"gbt33171_grade_milli({milli}, {milli})", v, vf) == grade
    assert sql1(engine, "gbt33171_grade_milli(NULL, 60000)") is None


def test_grade_in_thousandths_agrees_everywhere(engine):
    # 2-decimal speeds against DECIMAL(9, 3) free-flow speeds (as the pack stores them), dense
    # around every bound: the thousandths variant and gbt33171_grade give the same grade.
    differing = engine.scalar("""
        WITH vf AS (SELECT CAST(20 + i * 0.137 AS DECIMAL(9, 3)) AS vf FROM range(400) AS r(i)),
             pairs AS (SELECT vf, round(CAST(vf AS DOUBLE) * k / 1000.0 + j * 0.01, 2) AS v
                       FROM vf, (VALUES (300), (400), (500), (700)) AS b(k), range(-3, 4) AS o(j))
        SELECT count(*) FILTER (WHERE gbt33171_grade(v, vf)
                                      IS DISTINCT FROM gbt33171_grade_milli(CAST(round(v * 1000) AS BIGINT),
                                                                            CAST(round(vf * 1000) AS BIGINT)))
        FROM pairs""")
    assert differing == 0


def test_float_trap_is_avoided(engine):
    # 0.7 * 33 is 23.099999999999998 in binary floating point: a naive v > 0.7 * v_f says 畅通
    # for v = 23.1, which is exactly 70 % of 33 and so 基本畅通.
    assert 23.1 > 0.7 * 33
    assert traffic.segment_grade(23.1, 33) == "基本畅通"
    assert sql1(engine, "gbt33171_grade(23.1::DOUBLE, 33::DOUBLE)") == "基本畅通"
    assert sql1(engine, "gbt33171_grade_milli(23100, 33000)") == "基本畅通"


@pytest.mark.parametrize(("d", "tpi", "level"), [
    (0.15, 1.0, "畅通"), (0.30, 2.0, "基本畅通"), (0.0, 0.0, "畅通"), (0.4, 3.0, "基本畅通"), (0.5, 4.0, "轻度拥堵"),
    (0.55, 5.0, "轻度拥堵"), (0.6, 6.0, "中度拥堵"), (0.7, 8.0, "严重拥堵"), (0.85, 9.0, "严重拥堵"), (1.0, 10.0, "严重拥堵")])
def test_network_tpi(engine, d, tpi, level):
    assert traffic.tpi(d) == pytest.approx(tpi)
    assert traffic.tpi_level(d) == level
    assert sql1(engine, "gbt33171_tpi(?::DOUBLE)", d) == pytest.approx(tpi)
    assert sql1(engine, "gbt33171_tpi_level(?::DOUBLE)", d) == level


def test_free_flow_vector():
    top8 = [62, 61, 60, 60, 59, 58, 58, 57]
    means = top8 + [40.0] * 64  # 72 intervals of 06:00-24:00
    assert traffic.free_flow_speed(means) == 59.375
    assert traffic.free_flow_speed(means, speed_limit=50) == 50


def test_tti_dtp():
    assert float(traffic.tti(120, 60)) == 2.0 and float(traffic.dtp(120, 60)) == 0.5
    assert float(traffic.tti(50, 60)) == 1.0 and float(traffic.dtp(50, 60)) == 0.0  # faster than free flow
    assert float(traffic.dtp(120, 60)) == pytest.approx(1 - 1 / float(traffic.tti(120, 60)))


def test_holiday_calendar(engine):
    import datetime as dt

    assert holidays.day_type(dt.date(2025, 10, 1)) == "节假日"
    assert holidays.day_type(dt.date(2025, 10, 11)) == "周末"
    assert holidays.day_type(dt.date(2025, 10, 9)) == "工作日"
    assert sql1(engine, "cn_holiday(DATE '2025-10-08')") == "国庆节"
    assert sql1(engine, "cn_day_type(DATE '2025-10-09')") == "工作日"
