"""``lingshu check`` and ``lingshu coord`` on a small Typer app built from ``register``."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from lingshu.cli.check import register
from lingshu.core.errors import ConfigError


@pytest.fixture()
def app() -> typer.Typer:
    a = typer.Typer()
    register(a)
    return a


runner = CliRunner()


def test_check_valid_values_exit_0(app: typer.Typer) -> None:
    res = runner.invoke(app, ["check", "id", "11010519491231002X", "440524188001010014"])
    assert res.exit_code == 0, res.output
    assert "valid" in res.output and "1949-12-31" in res.output


def test_check_any_invalid_exits_1_and_says_why(app: typer.Typer) -> None:
    res = runner.invoke(app, ["check", "id", "11010519491231002X", "110105194912310021"])
    assert res.exit_code == 1
    assert "should be X" in res.output


def test_check_json_one_object_per_value(app: typer.Typer) -> None:
    res = runner.invoke(app, ["check", "--json", "uscc", "914403001922038216", "91330100799655058C"])
    rows = [json.loads(line) for line in res.output.splitlines() if line.strip()]
    assert [r["valid"] for r in rows] == [True, False]
    assert rows[0]["parts"]["org_code"] == "19220382-1"
    assert res.exit_code == 1


@pytest.mark.parametrize("kind, value", [("gb28181", "34020000001320000001"), ("phone", "+86 138-1234-5678"),
                                         ("date", "2023年5月1日"), ("project-code", "2019-310115-65-03-012345"),
                                         ("address", "临港新城环湖西二路888号")])
def test_check_every_kind(app: typer.Typer, kind: str, value: str) -> None:
    res = runner.invoke(app, ["check", "--json", kind, value])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["valid"] is True


def test_unknown_kind_is_a_config_error(app: typer.Typer) -> None:
    res = runner.invoke(app, ["check", "passport", "x"])
    assert isinstance(res.exception, ConfigError)


def test_help_is_bilingual(app: typer.Typer) -> None:
    res = runner.invoke(app, ["check", "--help"])
    assert "Validate codes" in res.output and "校验编码" in res.output


@pytest.mark.parametrize("src, dst, expected", [
    ("wgs84", "gcj02", (116.41024449916938, 39.91640428150164)),
    ("gcj02", "bd09", (116.41036949371029, 39.92133699351021)),
    ("bd09", "gcj02", (116.39762729119315, 39.90865673957631)),
])
def test_coord(app: typer.Typer, src: str, dst: str, expected: tuple[float, float]) -> None:
    res = runner.invoke(app, ["coord", "--from", src, "--to", dst, "--json", "116.404", "39.915"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert (out["lng"], out["lat"]) == pytest.approx(expected, abs=1e-12)


def test_coord_cgcs2000_and_text_output(app: typer.Typer) -> None:
    res = runner.invoke(app, ["coord", "--from", "cgcs2000", "--to", "gcj02", "116.404", "39.915"])
    assert res.exit_code == 0 and "116.41024449916938" in res.output
