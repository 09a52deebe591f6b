"""Backups: a restore brings back a dropped table; retention; damaged backups are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lingshu.core.context import Context
from lingshu.ops import Ops
from lingshu.ops.config import load_ops_config
from lingshu.ops.errors import OpsError
from ops_support import FakeClock


def test_restore_brings_back_a_dropped_table(ops: Ops, ops_ctx: Context) -> None:
    ops_ctx.run("orders")
    before = ops_ctx.engine.query("SELECT * FROM dwd.orders ORDER BY order_id")
    backup = ops.backups.create()
    assert backup.status == "complete" and set(backup.parts) == {"warehouse", "state"}
    manifest = json.loads((backup.path / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["parts"]["warehouse"]["sm3"]) == 64 and manifest["state_revision"]

    ops_ctx.engine.execute("DROP TABLE dwd.orders")  # the accident
    ops_ctx.run("orders", select=["ods.orders"])  # and life goes on after the backup
    assert not ops_ctx.engine.table_exists("dwd", "orders")

    ops.backups.restore(backup.label)
    assert ops_ctx.engine.query("SELECT * FROM dwd.orders ORDER BY order_id") == before  # reopened lazily
    assert list(ops_ctx.workspace.root.glob("warehouse.duckdb.pre-restore-*"))  # the replaced file is kept
    actions = [r["action"] for r in ops_ctx.security.audit.list()]
    assert "ops.backup" in actions and "ops.restore" in actions


def test_state_store_restore(ops: Ops, ops_ctx: Context) -> None:
    ops_ctx.run("orders")
    backup = ops.backups.create()
    ops_ctx.run("orders")
    assert len(ops_ctx.state.list_runs()) == 2
    ops.backups.restore(backup.label, parts=("state",))
    assert len(ops_ctx.state.list_runs()) == 1


def test_retention_keeps_the_newest(ops_ctx: Context, clock: FakeClock) -> None:
    (ops_ctx.workspace.root / "ops.yaml").write_text("backup: {keep: 2}\n", encoding="utf-8")
    ops = Ops(ops_ctx, clock=clock)
    labels = []
    for _ in range(3):
        labels.append(ops.backups.create().label)
        clock.advance(days=1)
    status = {r["label"]: r["status"] for r in ops.backups.list()}
    assert status == {labels[0]: "pruned", labels[1]: "complete", labels[2]: "complete"}
    assert not (ops.backups.folder / labels[0]).exists() and (ops.backups.folder / labels[2]).exists()


def test_damaged_or_missing_backups_are_refused(ops: Ops, ops_ctx: Context, tmp_path: Path) -> None:
    backup = ops.backups.create(dest=tmp_path / "elsewhere")
    with (backup.path / "warehouse.duckdb").open("ab") as f:
        f.write(b"bitrot")
    with pytest.raises(OpsError, match="checksum"):
        ops.backups.restore(str(backup.path))
    with pytest.raises(OpsError, match="no backup"):
        ops.backups.restore("lingshu-19990101-000000-dead")
    assert load_ops_config(None).backup.keep == 7


def test_backup_and_restore_on_both_state_stores(tmp_path: Path, state_url: str) -> None:
    from ops_support import make_ctx

    with make_ctx(tmp_path, state_url) as ctx:
        ops = Ops(ctx)
        ctx.run("orders")
        backup = ops.backups.create()
        state = backup.parts["state"]
        if "skipped" in state:  # PostgreSQL without pg_dump: recorded as partial, with the reason
            assert backup.status == "partial" and "pg_dump" in state["skipped"]
            return
        ctx.run("orders")
        assert len(ctx.state.list_runs()) == 2
        ops.backups.restore(backup.label, parts=("warehouse", "state"))
        assert len(ctx.state.list_runs()) == 1
