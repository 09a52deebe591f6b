"""The Context opens each engine where the workspace says: its own settings block when it has one."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace


def test_duckdb_opens_the_workspace_warehouse(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", name="ctx")
    ws.config.warehouse = "elsewhere.duckdb"
    with Context(ws, engine="duckdb") as ctx:
        ctx.engine.execute("CREATE TABLE t AS SELECT 1 AS a")
    assert (tmp_path / "ws" / "elsewhere.duckdb").is_file()


@pytest.mark.spark
def test_spark_takes_its_settings_block(tmp_path: Path) -> None:
    """``spark:`` in lingshu.yaml (warehouse, master, conf) reaches the engine; it was once dropped
    and Spark wrote to the DuckDB warehouse's path with the test defaults."""
    ws = init_workspace(tmp_path / "ws", name="ctx")
    ws.config.spark.warehouse = "spark-tables"
    with Context(ws, engine="spark") as ctx:
        assert ctx.engine.storage.root == tmp_path / "ws" / "spark-tables"
        ctx.engine.replace_table("dwd", "t", "SELECT 1 AS a")
    assert not (tmp_path / "ws" / ws.config.warehouse).exists()
