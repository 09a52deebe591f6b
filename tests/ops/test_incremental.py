"""Incremental models: daily runs merge only new rows; the update log has exact counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingshu.core.context import Context
from lingshu.core.errors import ConfigError, PackError
from lingshu.core.runner import run_pack
from lingshu.core.workspace import init_workspace
from support import write_files

EVENTS_PACK = {
    "pack.yaml": """
        id: events
        name: 事件增量
        domain: example
        department: 测试部门
        sources:
          - name: events
            kind: csv
            path: events/*.csv
            target: ods.events
            options: {incremental: {mode: files}}
            columns:
              - {name: event_id, type: BIGINT}
              - {name: event_date, type: DATE}
              - {name: status}
        models:
          - name: dwd.events_by_day
            materialized: incremental
            partition_by: event_date
            unique_key: [event_id]
          - name: dwd.events_latest
            materialized: incremental
            unique_key: [event_id]
            watermark: event_date
          - name: dws.events_daily
            materialized: incremental
            partition_by: event_date
        """,
    "models/dwd/events_by_day.sql": "SELECT event_id, event_date, status FROM ods.events",
    "models/dwd/events_latest.sql": "SELECT event_id, event_date, status FROM ods.events",
    "models/dws/events_daily.sql": "SELECT event_date, count(*) AS n FROM dwd.events_by_day GROUP BY event_date",
}


@pytest.fixture
def inc_ctx(tmp_path: Path):
    packs = write_files(tmp_path / "packs" / "events", EVENTS_PACK).parent
    ws = init_workspace(tmp_path / "ws", pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    with Context(ws) as ctx:
        yield ctx


def _deliver(ctx: Context, name: str, rows: str) -> None:
    write_files(ctx.workspace.folder("raw") / "events", {name: "event_id,event_date,status\n" + rows})


def _log(ctx: Context, run_id: int) -> dict[str, dict]:
    return {r["table_name"]: r for r in ctx.state.updates(run_id)}


def _counts(row: dict) -> tuple:
    return row["rows_before"], row["rows_inserted"], row["rows_updated"], row["rows_deleted"], row["rows_after"]


def test_daily_runs_replace_only_new_partitions(inc_ctx: Context) -> None:
    ctx = inc_ctx
    _deliver(ctx, "d1.csv", "1,2026-03-01,new\n2,2026-03-01,new\n3,2026-03-02,new\n")
    ctx.run("events")
    daily_before = ctx.engine.query("SELECT * FROM dws.events_daily ORDER BY event_date").to_pylist()
    _deliver(ctx, "d2.csv", "4,2026-03-02,new\n5,2026-03-03,new\n")
    report = ctx.run("events")
    assert report.status == "success", report.failed
    log = _log(ctx, report.run_id)
    # The source loads only the new file (files mode), so ODS holds both deliveries once.
    assert ctx.engine.scalar("SELECT count(*) FROM ods.events") == 5
    # dwd.events_by_day: partitions >= 03-02 are redone: event 3 unchanged, 4 and 5 new.
    assert _counts(log["dwd.events_by_day"]) == (3, 2, 0, 0, 5)
    # dws.events_daily has no key: partition 03-02 (1 row) is replaced, 03-03 is new.
    assert _counts(log["dws.events_daily"]) == (2, 2, 0, 1, 3)
    daily = {r["event_date"].isoformat(): r["n"] for r in ctx.engine.query("SELECT * FROM dws.events_daily").to_pylist()}
    assert daily == {"2026-03-01": 2, "2026-03-02": 2, "2026-03-03": 1}
    assert daily_before[0]["n"] == 2
    # dwd.events_latest (merge with a watermark) read only event 5, the one later than 03-02.
    assert _counts(log["dwd.events_latest"]) == (3, 1, 0, 0, 4)


def test_merge_updates_by_key_and_full_refresh_rebuilds(inc_ctx: Context) -> None:
    ctx = inc_ctx
    sql = ctx.catalog.get("events").root / "models/dwd/events_latest.sql"
    _deliver(ctx, "d1.csv", "1,2026-03-01,new\n2,2026-03-02,new\n")
    ctx.run("events")
    _deliver(ctx, "d2.csv", "2,2026-03-03,closed\n3,2026-03-03,new\n")
    log = _log(ctx, ctx.run("events", select=["ods.events", "dwd.events_latest"]).run_id)
    assert _counts(log["dwd.events_latest"]) == (2, 1, 1, 0, 3)
    assert ctx.engine.scalar("SELECT status FROM dwd.events_latest WHERE event_id = 2") == "closed"

    # A new column cannot be merged; a full refresh rebuilds the table once.
    sql.write_text("SELECT event_id, event_date, status, 1 AS v FROM ods.events QUALIFY "
                   "row_number() OVER (PARTITION BY event_id ORDER BY event_date DESC) = 1", encoding="utf-8")
    ctx.__dict__.pop("catalog")
    failed = ctx.run("events", select=["dwd.events_latest"])
    assert failed.status == "failed" and "full refresh" in failed.failed[0].error
    refreshed = run_pack(ctx, "events", select=["dwd.events_latest"], full_refresh=True)
    assert refreshed.status == "success" and ctx.engine.scalar("SELECT count(*) FROM dwd.events_latest") == 3


def test_incremental_needs_a_key_or_a_partition(tmp_path: Path) -> None:
    from lingshu.pack.loader import load_pack

    bad = dict(EVENTS_PACK)
    bad["pack.yaml"] = EVENTS_PACK["pack.yaml"].replace("            partition_by: event_date\n", "", 1).replace(
        "            unique_key: [event_id]\n", "", 1)
    root = write_files(tmp_path / "bad", bad)
    with pytest.raises((ConfigError, PackError), match="unique_key .*partition_by"):
        load_pack(root)
