"""Coherence of the generated world: references resolve, unmarked codes are valid, points lie in
their towns, and defect counts match the configured rates."""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lingshu.govern.checksums import id_check_char, org_code_check_char, uscc_check_char
from lingshu.synth.geo import build_geography



def db(world, table: str) -> pd.DataFrame:
    engine = sa.create_engine(f"sqlite:///{Path(world.out) / 'sources' / 'upstream.sqlite'}")
    with engine.connect() as conn:
        df = pd.read_sql_table(table, conn)
    engine.dispose()
    return df


def source(world, table: str) -> pd.DataFrame:
    """Read a file source the way a connector would, from its manifest entry."""
    entry = next(f for f in world.manifest["files"] if f["table"] == table)
    path = Path(world.out) / entry["path"]
    if entry["format"] == "excel":
        return pd.read_excel(path, skiprows=2, dtype=str).fillna("")
    if entry["format"] == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    return pd.read_csv(path, dtype=str, encoding=entry.get("encoding", "utf-8"), keep_default_na=False)


def valid_id(s: str) -> bool:
    return len(s) == 18 and s[:17].isdigit() and id_check_char(s[:17]) == s[17]


def valid_uscc(s: str) -> bool:
    return len(s) == 18 and uscc_check_char(s[:17]) == s[17] and org_code_check_char(s[8:16]) == s[16]


def test_every_enterprise_referenced_by_employment_exists(world):
    true = set(pd.read_parquet(Path(world.out) / "ground_truth" / "enterprises.parquet")["uscc"])
    emp = source(world, "rs_employment")
    assert set(emp["用人单位统一社会信用代码"]) <= true
    for path in glob.glob(str(Path(world.out) / "sources/csv/社保缴费/*.csv")):
        si = pd.read_csv(path, dtype=str)
        assert set(si["单位统一社会信用代码"]) <= true
    people = set(pd.read_parquet(Path(world.out) / "ground_truth" / "persons.parquet")["id_number"])
    assert set(emp["身份证号"]) <= people


def test_social_insurance_covers_at_least_36_months(world):
    months = [f for f in world.manifest["files"] if f["table"] == "si_monthly"]
    assert len(months) >= 36


def test_unmarked_ids_and_usccs_are_valid(world, marked):
    ga = db(world, "ga_population")
    bad = marked("ga_population", {"invalid_check"})
    assert bad and all(not valid_id(v) for v in ga.loc[ga["record_id"].isin(bad), "id_number"])
    ok = ga.loc[~ga["record_id"].isin(bad), "id_number"]
    assert all(valid_id(v) for v in ok)
    scjg = db(world, "scjg_enterprise")
    bad = marked("scjg_enterprise", {"invalid_check"})
    assert all(valid_uscc(v) for v in scjg.loc[~scjg["record_id"].isin(bad), "uscc"])
    sw = source(world, "sw_taxpayer")
    assert all(valid_uscc(v) for v in sw["纳税人识别号"])
    sq = source(world, "sq_resident")
    dup = marked("sq_resident", {"duplicate"})
    assert all(valid_id(str(v)) for v in sq.loc[~sq["record_id"].isin(dup), "cert_no"])


def test_sex_and_birth_agree_with_id_unless_marked(world, marked):
    ga = db(world, "ga_population")
    sex_bad = marked("ga_population", {"sex_mismatch"})
    birth_bad = marked("ga_population", {"birth_mismatch", "mixed_date"})
    for rid, idn, sex, birth in ga[["record_id", "id_number", "sex", "birth_date"]].itertuples(index=False):
        if rid not in sex_bad:
            assert (int(idn[16]) % 2 == 1) == (sex == "男"), rid
        if rid not in birth_bad:
            assert idn[6:14] == birth.replace("-", ""), rid
    # And the marked ones really disagree (the truth table is exact, not approximate).
    rows = ga[ga["record_id"].isin(marked("ga_population", {"sex_mismatch"}))]
    assert all((int(i[16]) % 2 == 1) != (s == "男") for i, s in zip(rows["id_number"], rows["sex"], strict=True))


def _towns(world):
    geo = build_geography(world.ground_truth.cfg.seed)
    return geo, {n: i for i, n in enumerate(geo.towns["town_name"])}, {t: i for i, t in enumerate(geo.towns["town_id"])}


@pytest.mark.parametrize("table,id_col,lon,lat,town_col,key", [
    ("address_base", "address_id", "lon", "lat", "town_id", "id"),
    ("sp_camera_ledger", "序号", "经度", "纬度", "所属街镇", "name"),
    ("wg_events", "eventId", "lng", "lat", "townName", "name"),
    ("xmk_project", "项目代码", "中心经度", "中心纬度", "所在街镇", "name"),
])
def test_points_lie_in_their_town_unless_marked(world, marked, table, id_col, lon, lat, town_col, key):
    geo, by_name, by_id = _towns(world)
    df = source(world, table)
    skip = marked(table, {"out_of_area", "crs_mislabel"})
    df = df[~df[id_col].astype(str).isin(skip) & (df[lon].astype(str) != "") & (df[town_col].astype(str) != "")]
    assert len(df) > 10
    found = geo.locate_town(df[lon].astype(float).to_numpy(), df[lat].astype(float).to_numpy())
    lookup = by_id if key == "id" else by_name
    expected = df[town_col].astype(str).map(lookup).to_numpy()
    assert (found == expected).all(), df[found != expected].head()


def test_marked_out_of_area_points_are_outside_every_town(world, marked):
    geo, _, _ = _towns(world)
    df = source(world, "wg_events")
    out = df[df["eventId"].isin(marked("wg_events", {"out_of_area"}))]
    assert len(out) > 0
    assert (geo.locate_town(out["lng"].astype(float).to_numpy(), out["lat"].astype(float).to_numpy()) < 0).all()


# (source, defect kind, config rate attribute, rows the plan was drawn from)
PLANNED = [
    ("ga_population", "invalid_check", "invalid_check", "ga"), ("ga_population", "sex_mismatch", "sex_mismatch", "ga"),
    ("ga_population", "birth_mismatch", "birth_mismatch", "ga"), ("ga_population", "missing_required", "missing_required", "ga"),
    ("ga_population", "mixed_date", "mixed_date", "ga"), ("scjg_enterprise", "invalid_check", "invalid_check", "scjg"),
    ("sq_resident", "duplicate", "duplicate", "sq"), ("sq_resident", "stale", "stale", "sq"),
    ("sw_taxpayer", "duplicate", "duplicate", "sw"), ("sp_camera_ledger", "crs_mislabel", "crs_mislabel", "cam"),
    ("sp_camera_ledger", "out_of_area", "out_of_area", "cam"), ("wg_events", "crs_mislabel", "crs_mislabel", "wg"),
]


def test_defect_counts_match_configured_rates(world, defects):
    base = {
        "ga": len(db(world, "ga_population")), "scjg": len(db(world, "scjg_enterprise")),
        "sq": len(source(world, "sq_resident")) - (defects.query("source == 'sq_resident' and defect_kind == 'duplicate'").shape[0]),
        "sw": len(source(world, "sw_taxpayer")) - (defects.query("source == 'sw_taxpayer' and defect_kind == 'duplicate'").shape[0]),
        "cam": len(source(world, "sp_camera_ledger")) - (defects.query("source == 'sp_camera_ledger' and defect_kind == 'duplicate'").shape[0]),
        "wg": len(source(world, "wg_events")),
    }
    for src, kind, rate_name, b in PLANNED:
        rate = getattr(world.ground_truth.cfg.defects, rate_name)
        got = len(defects[(defects["source"] == src) & (defects["defect_kind"] == kind)])
        # Exact by construction (round(rate * n)); allow one row of rounding slack.
        assert abs(got - rate * base[b]) <= 1, (src, kind, got, rate * base[b])


def test_duplicates_point_at_their_originals(world, defects):
    gt = pd.read_parquet(Path(world.out) / "ground_truth" / "entity_map.parquet")
    ent = gt.set_index(["source", "record_id"])["entity_id"]
    dups = defects[defects["defect_kind"] == "duplicate"]
    assert len(dups) > 0
    for src, rid, orig in dups[["source", "record_id", "true_value"]].itertuples(index=False):
        assert ent[(src, rid)] == ent[(src, orig)]


def test_ground_truth_true_values_differ_from_dirty_values(defects):
    assert (defects["true_value"] != defects["dirty_value"]).all()


def test_all_kinds_of_source_delivery_exist(world):
    formats = {f["format"] for f in world.manifest["files"]}
    assert {"csv_utf8", "csv_gbk", "excel", "jsonl", "sql_table", "geojson", "text", "parquet"} <= formats
    gbk = next(f for f in world.manifest["files"] if f["format"] == "csv_gbk")
    raw = (Path(world.out) / gbk["path"]).read_bytes()
    raw.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_excel_has_title_rows_and_chinese_headers(world):
    from openpyxl import load_workbook

    entry = next(f for f in world.manifest["files"] if f["table"] == "xmk_project")
    ws = load_workbook(Path(world.out) / entry["path"], read_only=True).active
    rows = list(ws.iter_rows(min_row=1, max_row=3, values_only=True))
    assert "项目库" in rows[0][0]
    assert rows[1][0].startswith("制表单位")
    assert rows[2][0] == "项目代码"


def test_manifest_lists_every_file_with_rows_and_hash(world):
    import hashlib

    files = [f for f in world.manifest["files"] if "sha256" in f]
    on_disk = {str(p.relative_to(world.out)) for p in Path(world.out).rglob("*") if p.is_file()} - {"manifest.json"}
    assert on_disk == {f["path"] for f in files}
    for f in files:
        assert hashlib.sha256((Path(world.out) / f["path"]).read_bytes()).hexdigest() == f["sha256"]
        if f["format"] == "csv_utf8":
            assert len(pd.read_csv(Path(world.out) / f["path"], dtype=str)) == f["rows"]


def test_floating_car_speeds_have_rush_hours(world):
    fcd = pd.concat(pd.read_csv(p, parse_dates=["ts"]) for p in glob.glob(str(Path(world.out) / "sources/csv/浮动车/*.csv")))
    assert fcd.groupby(["segment_id", "ts"]).size().max() == 1
    assert fcd["speed_kmh"].between(3, 100).all()
    cal = world.ground_truth.world["calendar"].set_index("date")["day_type"]
    work = fcd[fcd["ts"].dt.strftime("%Y-%m-%d").map(cal) == "工作日"]
    if len(work):
        hour = work["ts"].dt.hour
        assert work.loc[hour == 8, "speed_kmh"].mean() < work.loc[hour.isin([2, 3]), "speed_kmh"].mean()


def test_passenger_occupancy_never_negative_and_holidays_peak():
    from lingshu.synth.calendar import build_calendar
    from lingshu.synth.config import SynthConfig
    from lingshu.synth.passenger import build_passenger

    cfg = SynthConfig(seed=3, passenger_days=40, traffic_days=1)
    geo = build_geography(cfg.seed)
    cal = build_calendar(cfg)
    flow, origin = build_passenger(cfg, geo, cal)
    for _, g in flow.groupby("area_id"):
        occ = (g["inflow"] - g["outflow"]).cumsum()
        assert (occ >= 0).all()
    lake = flow[flow["area_name"] == "滴水湖"].copy()
    lake["date"] = lake["period_start"].str[:10]
    daily = lake.groupby("date")["inflow"].sum()
    types = cal.set_index("date")["day_type"]
    assert daily[types[daily.index] == "节假日"].mean() > 2 * daily[types[daily.index] == "工作日"].mean()
    assert origin["visitors"].sum() == flow["inflow"].sum()


def test_last_years_same_holiday_is_generated():
    import datetime as dt

    from lingshu.synth.calendar import build_calendar
    from lingshu.synth.config import SynthConfig
    from lingshu.synth.passenger import GROWTH, build_passenger, build_passenger_last_year, last_year_holidays

    # Last year's occurrence: the rest days of the same name one holiday year earlier.
    assert last_year_holidays([dt.date(2025, 10, 3), dt.date(2025, 9, 10)]) == [dt.date(2024, 10, d) for d in range(1, 8)]
    assert last_year_holidays([dt.date(2024, 1, 1)]) == [dt.date(2023, 1, 1), dt.date(2023, 1, 2)]
    assert last_year_holidays([dt.date(2025, 9, 10)]) == []
    cfg = SynthConfig(seed=3, passenger_days=40, traffic_days=1)
    geo = build_geography(cfg.seed)
    cal = build_calendar(cfg)
    history = build_passenger_last_year(cfg, geo)
    assert sorted(history["period_start"].str[:10].unique()) == [f"2024-10-0{d}" for d in range(1, 8)]
    assert len(history) == 7 * 96 * len(geo.key_areas)
    occupancy = history.groupby("area_id").apply(lambda g: (g["inflow"] - g["outflow"]).cumsum())
    assert (occupancy >= 0).all()
    # this year's holiday was about 8 % busier, give or take weather and events
    flow, _ = build_passenger(cfg, geo, cal)
    holiday = flow[flow["period_start"].str[:10].between("2025-10-01", "2025-10-07")]
    assert holiday["inflow"].sum() > history["inflow"].sum() * GROWTH * 0.8


def test_upstream_database_tables(world):
    for table in ("scjg_enterprise", "ga_population", "jgk_supervision", "zw_cases", "zw_case_steps", "yh_inspection"):
        entry = next(f for f in world.manifest["files"] if f["table"] == table)
        assert len(db(world, table)) == entry["rows"] > 0


def test_three_project_libraries_disagree_as_recorded(world, marked):
    xmk = set(source(world, "xmk_project")["项目代码"])
    jgk = db(world, "jgk_supervision")
    typo = marked("jgk_supervision", {"code_mismatch"})
    assert set(jgk.loc[~jgk["jg_id"].isin(typo), "xmdm"]) <= xmk
    assert not set(jgk.loc[jgk["jg_id"].isin(typo), "xmdm"]) & xmk
    bjk = source(world, "bjk_cases")
    orphan = marked("bjk_cases", {"orphan_reference"})
    assert set(bjk.loc[~bjk["caseNo"].isin(orphan), "projectCode"]) <= xmk
    assert not set(bjk.loc[bjk["caseNo"].isin(orphan), "projectCode"]) & xmk
