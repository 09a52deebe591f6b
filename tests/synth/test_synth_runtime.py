"""Determinism, config errors, the HTTP service, the CLI command and the scale-1 time budget."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from lingshu.synth import DefectRates, SynthConfig, SynthError, generate, start_http_service


def _hashes(out: Path) -> dict[str, str]:
    doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {f["path"]: f["sha256"] for f in doc["files"] if "sha256" in f}


def test_same_seed_gives_byte_identical_outputs(tmp_path, world):
    cfg = world.ground_truth.cfg
    generate(cfg, tmp_path / "again")
    assert _hashes(tmp_path / "again") == _hashes(Path(world.out))
    assert (tmp_path / "again" / "manifest.json").read_bytes() == (Path(world.out) / "manifest.json").read_bytes()


def test_other_seed_gives_other_data(tmp_path, world):
    cfg = world.ground_truth.cfg.model_copy(update={"seed": 8, "excel": False})
    generate(cfg, tmp_path / "other")
    a, b = _hashes(tmp_path / "other"), _hashes(Path(world.out))
    common = set(a) & set(b)
    assert sum(a[p] != b[p] for p in common) > len(common) / 2


def test_domains_draw_from_independent_streams():
    from lingshu.synth.rng import domain_rng

    assert domain_rng(1, "persons").integers(1 << 30) == domain_rng(1, "persons").integers(1 << 30)
    assert domain_rng(1, "persons").integers(1 << 30) != domain_rng(1, "enterprises").integers(1 << 30)


def test_rates_that_cannot_fit_are_refused(tmp_path):
    rates = DefectRates(invalid_check=0.5, sex_mismatch=0.5, birth_mismatch=0.5)
    with pytest.raises(SynthError, match="add up to"):
        generate(SynthConfig(scale=0.02, defects=rates, excel=False), tmp_path / "x")


def test_start_date_must_be_a_month_start():
    import datetime as dt

    with pytest.raises(Exception, match="first of a month"):
        SynthConfig(start_date=dt.date(2023, 1, 5))


def test_foreign_folder_is_not_overwritten(tmp_path):
    (tmp_path / "mine.txt").write_text("keep")
    with pytest.raises(SynthError, match="not empty"):
        generate(SynthConfig(scale=0.02), tmp_path)
    assert (tmp_path / "mine.txt").exists()


def test_http_service_pages_with_token(world):
    with start_http_service(world.out, token="t0k") as svc:
        assert "sq_resident" in svc.datasets
        auth = {"Authorization": "Bearer t0k"}
        first = httpx.get(svc.dataset_url("sq_resident"), params={"page": 1, "size": 7}, headers=auth).json()
        assert first["code"] == 0 and len(first["data"]["records"]) == 7
        total = first["data"]["total"]
        seen = []
        page = 1
        while True:
            body = httpx.get(svc.dataset_url("sq_resident"), params={"page": page, "size": 50}, headers={"X-Token": "t0k"}).json()
            seen += body["data"]["records"]
            if len(body["data"]["records"]) < 50:
                break
            page += 1
        assert len(seen) == total and len({r["record_id"] for r in seen}) == total
        assert httpx.get(svc.dataset_url("sq_resident")).status_code == 401
        assert httpx.get(svc.dataset_url("sq_resident"), headers={"X-Token": "bad"}).json()["code"] == 401
        assert httpx.get(svc.dataset_url("nope"), headers=auth).status_code == 404
        listing = httpx.get(f"{svc.url}/api/v1/datasets", headers=auth).json()["data"]
        assert {d["name"] for d in listing} == set(svc.datasets)


def test_cli_register_adds_synth_command(tmp_path):
    from lingshu.cli.synth import register

    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps typer from collapsing the group
        pass

    result = CliRunner().invoke(app, ["synth", "--scale", "0.02", "--seed", "5", "--out", str(tmp_path / "o"), "--no-excel"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "manifest.json").exists()
    assert "fcd_speed" in result.output


@pytest.mark.slow
def test_scale_one_generates_in_under_a_minute(tmp_path):
    t0 = time.perf_counter()
    res = generate(SynthConfig(scale=1), tmp_path / "s1")
    elapsed = time.perf_counter() - t0
    rows = sum(f["rows"] for f in res.manifest["files"] if f["table"] == "fcd_speed")
    assert rows > 2_000_000
    assert elapsed < 60, f"scale 1 took {elapsed:.1f}s"


@pytest.mark.parametrize("server", [pytest.param("postgresql", marks=pytest.mark.postgres),
                                    pytest.param("mariadb", marks=pytest.mark.mariadb)])
def test_upstream_tables_can_go_to_a_database_server(tmp_path, server):
    import sqlalchemy as sa

    from support import mysql_database, pg_database

    databases = pg_database("synth") if server == "postgresql" else mysql_database("synth")
    db_url = next(databases)
    try:
        res = generate(SynthConfig(scale=0.02, db_url=db_url, excel=False), tmp_path / server)
        eng = sa.create_engine(db_url)
        with eng.connect() as c:
            n = c.execute(sa.text("SELECT count(*) FROM ga_population")).scalar()
        eng.dispose()
        entry = next(f for f in res.manifest["files"] if f["table"] == "ga_population")
        assert n == entry["rows"] > 0
        assert not (tmp_path / server / "sources" / "upstream.sqlite").exists()
    finally:
        databases.close()
