"""The DuckDB engine: offline extension loading and atomic table replacement."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingshu.core.errors import EngineError
from lingshu.engines import open_engine
from lingshu.engines.duckdb import DuckDBEngine, extension_path


def test_extensions_load_from_site_packages_without_network(tmp_path: Path) -> None:
    engine = DuckDBEngine(tmp_path / "w.duckdb", extensions=())
    con = engine.con
    assert con.execute("SELECT current_setting('autoinstall_known_extensions')").fetchone()[0] is False
    assert con.execute("SELECT current_setting('autoload_known_extensions')").fetchone()[0] is False
    # Point every extension repository at a closed port: any download attempt would now fail.
    con.execute("SET custom_extension_repository = 'http://127.0.0.1:9/nowhere'")
    con.execute("SET autoinstall_extension_repository = 'http://127.0.0.1:9/nowhere'")
    with pytest.raises(Exception):
        con.execute("INSTALL h3 FROM 'http://127.0.0.1:9/nowhere'")
    for name in ("spatial", "fts"):
        assert "site-packages" in str(extension_path(name))
        engine.load_extension(name)
    loaded = dict(con.execute("SELECT extension_name, loaded FROM duckdb_extensions() "
                              "WHERE extension_name IN ('spatial', 'fts')").fetchall())
    assert loaded == {"spatial": True, "fts": True}
    assert engine.scalar("SELECT ST_AsText(ST_Point(121.93, 30.90))") == "POINT (121.93 30.9)"
    engine.execute("CREATE TABLE docs AS SELECT 1 AS id, '滴水湖 数据 条例' AS body")
    engine.execute("PRAGMA create_fts_index('docs', 'id', 'body')")


def test_replace_table_swaps_and_failure_keeps_previous(tmp_path: Path) -> None:
    engine = open_engine("duckdb", tmp_path / "w.duckdb")
    engine.replace_table("dwd", "t", "SELECT range AS i FROM range(5)")
    assert engine.row_count("dwd", "t") == 5
    with pytest.raises(EngineError) as err:
        engine.replace_table("dwd", "t", "SELECT CAST('x' || range AS INTEGER) AS i FROM range(3)")
    assert "previous table is unchanged" in err.value.hint
    assert engine.row_count("dwd", "t") == 5
    # No half-built side tables are left behind.
    names = engine.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'dwd'")
    assert names.column(0).to_pylist() == ["t"]


def test_inspect_sees_both_versions_and_can_veto(tmp_path: Path) -> None:
    engine = open_engine("duckdb", tmp_path / "w.duckdb")
    engine.replace_table("ads", "t", "SELECT 1 AS i")

    def inspect(side: str) -> tuple[int, int]:
        return engine.scalar(f"SELECT count(*) FROM {side}"), engine.scalar('SELECT count(*) FROM "ads"."t"')

    assert engine.replace_table("ads", "t", "SELECT range AS i FROM range(4)", inspect) == (4, 1)

    def veto(side: str) -> None:
        raise ValueError("no")

    with pytest.raises(ValueError):
        engine.replace_table("ads", "t", "SELECT 9 AS i", veto)
    assert engine.query('SELECT i FROM "ads"."t" ORDER BY i').column(0).to_pylist() == [0, 1, 2, 3]


def test_columns_and_exists(tmp_path: Path) -> None:
    engine = open_engine("duckdb", tmp_path / "w.duckdb")
    assert not engine.table_exists("ods", "x")
    assert engine.row_count("ods", "x") is None
    engine.replace_table("ods", "x", "SELECT 1::BIGINT AS a, 'b' AS b")
    assert [(c.name, c.type) for c in engine.columns("ods", "x")] == [("a", "BIGINT"), ("b", "VARCHAR")]


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    first = open_engine("duckdb", path)
    first.execute("CREATE TABLE t AS SELECT 1")
    import subprocess
    import sys

    code = ("from lingshu.engines import open_engine\n"
            "from lingshu.core.errors import EngineError\n"
            f"try:\n    open_engine('duckdb', r'{path}')\nexcept EngineError as e:\n    print('CLEAR', e.hint)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "CLEAR" in out.stdout, out.stderr


def test_reader_cursors_get_the_installed_functions_on_every_thread(tmp_path: Path) -> None:
    import threading

    engine = open_engine("duckdb", tmp_path / "w.duckdb")
    state = {"installs": 0}

    def install(target) -> None:  # an installer that remembers "done" per engine object
        if getattr(target, "_done", False):
            return
        target.execute("CREATE OR REPLACE TEMP MACRO double_it(x) AS x * 2")
        target._done = True
        state["installs"] += 1

    install(engine)
    engine.add_reader_setup(install)
    reader = engine.reader()
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(reader.scalar("SELECT double_it(21)"))) for _ in range(3)]
    for t in threads:
        t.start()
        t.join()
    assert results == [42, 42, 42]
    assert state["installs"] == 4  # the main connection and one per reader cursor


def test_row_group_size_applies_to_the_warehouse_and_its_readers(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    engine = open_engine("duckdb", path, row_group_size=4096)
    engine.replace_table("ads", "t", "SELECT range AS i FROM range(20000)")
    groups = "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('ads.t')"
    assert engine.scalar(groups) == 5  # 20,000 rows in groups of 4,096 (DuckDB's default: one group)
    reader = engine.reader()
    assert reader.scalar("SELECT count(*) FROM ads.t") == 20000  # reader cursors read the same catalog
    assert reader.batches("SELECT i FROM ads.t ORDER BY i").read_all().num_rows == 20000
    engine.close()

    # Opened again with DuckDB's default size, old tables keep their groups and the file is the same.
    again = open_engine("duckdb", path)
    assert again.scalar(groups) == 5
    again.close()
    read_only = open_engine("duckdb", path, read_only=True, row_group_size=4096)
    assert read_only.scalar("SELECT max(i) FROM ads.t") == 19999
    with pytest.raises(EngineError):
        read_only.execute("CREATE TABLE ads.u AS SELECT 1")


def test_second_writer_with_a_row_group_size_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    first = open_engine("duckdb", path, row_group_size=16384)
    first.execute("CREATE TABLE t AS SELECT 1")
    with pytest.raises(EngineError) as err:
        open_engine("duckdb", path, row_group_size=16384)
    assert "another Lingshu process may hold it" in (err.value.hint or "")
