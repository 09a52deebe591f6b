"""Running a pack end to end: update log equals reality, failures keep previous tables.

Parametrized over both state stores (SQLite file and the PostgreSQL server).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lingshu.core.context import Context
from lingshu.core.errors import PackError
from lingshu.core.workspace import init_workspace
from support import ORDERS_PACK, write_files


@pytest.fixture
def run_ctx(tmp_path: Path, state_url: str):
    packs = write_files(tmp_path / "packs" / "orders", ORDERS_PACK).parent
    ws = init_workspace(tmp_path / "ws", state_url=state_url, pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    with Context(ws) as ctx:
        yield ctx


def _log(ctx: Context, run_id: int) -> dict[str, dict]:
    return {row["table_name"]: row for row in ctx.state.updates(run_id)}


def _count(ctx: Context, table: str) -> int:
    return ctx.engine.scalar(f"SELECT count(*) FROM {table}")


def test_update_log_counts_equal_real_rows(run_ctx: Context) -> None:
    report = run_ctx.run("orders")
    assert report.status == "success"
    log = _log(run_ctx, report.run_id)
    assert set(log) == {"ods.orders", "dwd.orders", "ads.orders_by_town"}
    for table, row in log.items():
        assert row["status"] == "success"
        assert row["rows_after"] == _count(run_ctx, table)
    ods = log["ods.orders"]
    # 5 rows read: 'x4' is not a BIGINT and row 5 lacks a town; nothing is lost.
    assert (ods["rows_read"], ods["rows_after"], ods["rows_quarantined"]) == (5, 3, 2)
    reasons = run_ctx.engine.query("SELECT _row_number, _reason FROM quarantine.orders ORDER BY 1").to_pylist()
    assert [r["_row_number"] for r in reasons] == [4, 5]
    assert "order_id" in reasons[0]["_reason"] and "BIGINT" in reasons[0]["_reason"]
    assert "town" in reasons[1]["_reason"]
    assert log["dwd.orders"]["rows_inserted"] == 3
    runs = run_ctx.state.list_runs("orders")
    assert runs[0]["status"] == "success" and runs[0]["ended_at"] is not None


def test_changed_source_gives_exact_insert_update_delete(run_ctx: Context) -> None:
    run_ctx.run("orders")
    csv = run_ctx.catalog.get("orders").root / "data/orders.csv"
    # order 1 changes, 2 is deleted, 3 unchanged, 6 and 7 are new.
    csv.write_text("order_id,town,amount\n1,南汇新城镇,11\n3,南汇新城镇,7\n6,万祥镇,1\n7,大团镇,2\n", encoding="utf-8")
    report = run_ctx.run("orders")
    dwd = _log(run_ctx, report.run_id)["dwd.orders"]
    assert (dwd["rows_before"], dwd["rows_after"]) == (3, 4)
    assert (dwd["rows_inserted"], dwd["rows_updated"], dwd["rows_deleted"]) == (2, 1, 1)
    # Cross-check against the table itself.
    assert _count(run_ctx, "dwd.orders") == 4


def test_failing_model_keeps_previous_table_and_skips_downstream(run_ctx: Context) -> None:
    first = run_ctx.run("orders")
    before = run_ctx.engine.query("SELECT * FROM dwd.orders ORDER BY order_id")
    model = run_ctx.catalog.get("orders").root / "models/dwd/orders.sql"
    # Fails at run time, halfway through the rows, not at parse time.
    model.write_text("SELECT order_id, town, CASE WHEN order_id > 2 THEN error('boom') ELSE amount END AS amount "
                     "FROM ods.orders", encoding="utf-8")
    run_ctx.__dict__.pop("catalog")  # reload packs from disk
    report = run_ctx.run("orders")
    assert report.status == "failed"
    statuses = {s.table: s.status for s in report.steps}
    assert statuses == {"ods.orders": "success", "dwd.orders": "failed", "ads.orders_by_town": "skipped"}
    assert run_ctx.engine.query("SELECT * FROM dwd.orders ORDER BY order_id") == before
    log = _log(run_ctx, report.run_id)
    assert "boom" in log["dwd.orders"]["error"]
    assert "upstream failed" in log["ads.orders_by_town"]["error"]
    assert run_ctx.state.list_runs("orders")[0]["status"] == "failed"
    assert first.run_id != report.run_id


def test_select_builds_only_the_selection(run_ctx: Context) -> None:
    report = run_ctx.run("orders", select=["+dwd.orders"])
    assert [s.table for s in report.steps] == ["ods.orders", "dwd.orders"]
    assert not run_ctx.engine.table_exists("ads", "orders_by_town")
    down = run_ctx.run("orders", select=["dwd.orders+"])
    assert [s.table for s in down.steps] == ["dwd.orders", "ads.orders_by_town"]


def test_select_with_unbuilt_input_says_what_to_run(orders_ctx: Context) -> None:
    with pytest.raises(PackError) as err:
        orders_ctx.run("orders", select=["ads.orders_by_town"])
    assert "lingshu run orders" in err.value.hint


def test_state_store_is_migrated_to_head(run_ctx: Context) -> None:
    from alembic.script import ScriptDirectory

    from lingshu.state.store import MIGRATIONS

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None and run_ctx.state.revision() == head
