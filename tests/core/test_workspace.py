"""Workspace creation and discovery."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lingshu.core.errors import WorkspaceError
from lingshu.core.workspace import ENV_VAR, find_workspace, init_workspace


def test_init_creates_layout_and_refuses_overwrite(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w", name="临港")
    for folder in ("raw", "quarantine", "logs", "secrets"):
        assert (ws.root / folder).is_dir()
    assert oct((ws.root / "secrets").stat().st_mode & 0o777) == "0o700"
    assert ws.state_url == f"sqlite:///{ws.root / 'state.db'}"
    with pytest.raises(WorkspaceError):
        init_workspace(tmp_path / "w")


def test_find_from_subfolder_env_and_explicit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = init_workspace(tmp_path / "w")
    sub = ws.root / "raw" / "deep"
    sub.mkdir()
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert find_workspace(start=sub).root == ws.root
    monkeypatch.setenv(ENV_VAR, str(ws.root))
    assert find_workspace(start=Path("/")).root == ws.root
    monkeypatch.delenv(ENV_VAR)
    with pytest.raises(WorkspaceError) as err:
        find_workspace(start=tmp_path)
    assert "lingshu init" in err.value.hint
    with pytest.raises(WorkspaceError):
        find_workspace(tmp_path / "nope")
    assert os.environ.get(ENV_VAR) is None


def test_bad_config_names_line(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w")
    cfg = ws.root / "lingshu.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "enigne: spark\n", encoding="utf-8")
    from lingshu.core.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        find_workspace(ws.root)
    assert "did you mean 'engine'" in str(err.value)
    assert f"{cfg}:" in str(err.value)


def test_duckdb_row_group_size_is_checked_and_reaches_the_engine(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w")
    assert ws.engine_target("duckdb") == (ws.warehouse, {"row_group_size": 16384})
    cfg = ws.root / "lingshu.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "duckdb:\n  row_group_size: 10000\n", encoding="utf-8")
    from lingshu.core.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        find_workspace(ws.root)
    assert "row_group_size" in str(err.value) and "2048" in str(err.value)
