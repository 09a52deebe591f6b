"""The CLI end to end in a subprocess-free way: exit codes, messages, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingshu.cli.main import main
from support import ORDERS_PACK, write_files


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out = capsys.readouterr()
    return int(exit_info.value.code or 0), out.out + out.err


def test_init_run_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    code, text = run_cli(["init", str(ws)], capsys)
    assert code == 0 and "workspace created" in text
    code, text = run_cli(["-w", str(ws), "run", "example_enterprises"], capsys)
    assert code == 0, text
    assert "success" in text
    code, text = run_cli(["-w", str(ws), "runs"], capsys)
    assert code == 0 and "example_enterprises"[:10] in text
    code, text = run_cli(["-w", str(ws), "runs", "--run", "1"], capsys)
    assert code == 0 and "ods.example_enterprise" in text


def test_user_errors_exit_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run_cli(["-w", str(tmp_path / "none"), "runs"], capsys)
    assert code == 2
    assert "Traceback" not in text and "lingshu init" in text
    ws = tmp_path / "ws"
    run_cli(["init", str(ws)], capsys)
    code, text = run_cli(["-w", str(ws), "run", "no_such_pack"], capsys)
    assert code == 2 and "example_enterprises" in text and "Traceback" not in text


def test_failed_run_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(ORDERS_PACK)
    files["models/dwd/orders.sql"] = "SELECT order_id, error('boom') AS town, amount FROM ods.orders"
    packs = write_files(tmp_path / "packs" / "orders", files).parent
    ws = tmp_path / "ws"
    run_cli(["init", str(ws)], capsys)
    cfg = ws / "lingshu.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("pack_paths: []", f"pack_paths: [{packs}]"),
                   encoding="utf-8")
    code, text = run_cli(["-w", str(ws), "run", "orders"], capsys)
    assert code == 1
    assert "boom" in text and "previous version" in text


def test_pack_new_scaffolds_a_pack_that_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run_cli(["pack", "new", "green_stats", "--dir", str(tmp_path / "packs"), "--name", "绿建统计"], capsys)
    assert code == 0, text
    code, text = run_cli(["pack", "validate", str(tmp_path / "packs" / "green_stats")], capsys)
    assert code == 0 and "绿建统计" in text
    ws = tmp_path / "ws"
    run_cli(["init", str(ws)], capsys)
    cfg = ws / "lingshu.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("pack_paths: []", f"pack_paths: [{tmp_path / 'packs'}]"),
                   encoding="utf-8")
    code, text = run_cli(["-w", str(ws), "run", "green_stats"], capsys)
    assert code == 0, text
    code, text = run_cli(["pack", "new", "Bad-Id", "--dir", str(tmp_path / "packs")], capsys)
    assert code == 2 and "lower_snake_case" in text


def test_demo_no_serve_builds_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run_cli(["demo", "--dir", str(tmp_path / "demo"), "--no-serve"], capsys)
    assert code == 0, text
    assert "ads.example_enterprise_by_town" in text
    assert (tmp_path / "demo" / "warehouse.duckdb").exists()


def test_help_is_bilingual(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run_cli(["--help"], capsys)
    assert code == 0
    assert "运行场景包" in text and "Run a pack" in text


def test_usage_errors_are_short_messages(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run_cli(["no-such-command"], capsys)
    assert code == 2 and "No such command" in text and "Traceback" not in text
    code, text = run_cli(["run"], capsys)
    assert code == 2 and "Missing argument" in text
