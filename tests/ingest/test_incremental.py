"""Incremental ingest: new files only, rows above a watermark, full reload on request."""

from __future__ import annotations

from pathlib import Path

from ingest_support import pack_context, source, update_of
from lingshu.core.runner import run_pack

COLS = [{"name": "id", "type": "BIGINT", "required": True}, {"name": "v"}]


def test_new_files_only_then_full_reload(tmp_path: Path) -> None:
    src = source("csv", path="drop", options={"incremental": {"mode": "files"}}, columns=COLS)
    with pack_context(tmp_path, [src], {"drop/2024-01.csv": "id,v\n1,a\n2,b\n"}) as ctx:
        drop = ctx.catalog.get("t").root / "drop"
        first = update_of(ctx, ctx.run("t").run_id)
        assert (first["rows_read"], first["rows_after"]) == (2, 2)
        (drop / "2024-02.csv").write_text("id,v\n3,c\nx,d\n", encoding="utf-8")
        second = update_of(ctx, ctx.run("t").run_id)
        # Only the new file is read: one row loaded, one quarantined, the old rows kept.
        assert (second["rows_read"], second["rows_inserted"], second["rows_quarantined"], second["rows_after"]) == (
            2, 1, 1, 3)
        third = update_of(ctx, ctx.run("t").run_id)
        assert (third["rows_read"], third["rows_after"], third["status"]) == (0, 3, "success")
        assert len(ctx.state.loaded_files("ods.src")) == 2
        reload = update_of(ctx, run_pack(ctx, "t", full_refresh=True).run_id)
        assert (reload["rows_read"], reload["rows_after"]) == (4, 3)
        assert ctx.query("SELECT count(*) FROM quarantine.src").column(0)[0].as_py() == 2  # one per run


def test_watermark_on_a_file_source_loads_only_newer_rows(tmp_path: Path) -> None:
    cols = [*COLS, {"name": "updated_at", "type": "TIMESTAMP"}]
    src = source("csv", path="data/all.csv", columns=cols,
                 options={"incremental": {"mode": "watermark", "column": "updated_at", "unique_key": ["id"]}})
    text = "id,v,updated_at\n1,a,2024-05-01 08:00\n2,b,2024-05-01 09:00\n"
    with pack_context(tmp_path, [src], {"data/all.csv": text}) as ctx:
        assert update_of(ctx, ctx.run("t").run_id)["rows_read"] == 2
        csv = ctx.catalog.get("t").root / "data/all.csv"
        # A full re-export: row 1 unchanged, row 2 updated, row 10 new (10 > 9 as numbers, not text).
        csv.write_text(text.replace("2,b,2024-05-01 09:00", "2,B,2024-05-02 09:00") + "10,c,2024-05-02 10:00\n",
                       encoding="utf-8")
        second = update_of(ctx, ctx.run("t").run_id)
        assert (second["rows_read"], second["rows_after"]) == (2, 3)
        assert ctx.query("SELECT v FROM ods.src ORDER BY id").column(0).to_pylist() == ["a", "B", "c"]
        assert ctx.state.watermark("ods.src")["value"] == "2024-05-02 10:00:00"


def test_numeric_watermark_compares_as_numbers(tmp_path: Path) -> None:
    src = source("csv", path="data/ids.csv", columns=COLS, options={"incremental": {"mode": "watermark", "column": "id"}})
    with pack_context(tmp_path, [src], {"data/ids.csv": "id,v\n8,a\n9,b\n"}) as ctx:
        ctx.run("t")
        (ctx.catalog.get("t").root / "data/ids.csv").write_text("id,v\n8,a\n9,b\n10,c\n11,d\n", encoding="utf-8")
        second = update_of(ctx, ctx.run("t").run_id)
        assert (second["rows_read"], second["rows_after"]) == (2, 4)
        assert ctx.state.watermark("ods.src")["value"] == "11"


def test_watermark_column_must_be_declared(tmp_path: Path) -> None:
    src = source("csv", path="data/ids.csv", columns=COLS,
                 options={"incremental": {"mode": "watermark", "column": "updated_at"}})
    with pack_context(tmp_path, [src], {"data/ids.csv": "id,v\n1,a\n"}) as ctx:
        report = ctx.run("t")
        assert report.status == "failed" and "watermark column 'updated_at' is not declared" in report.steps[0].error
