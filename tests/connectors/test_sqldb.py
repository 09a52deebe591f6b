"""Database sources on the real PostgreSQL and MariaDB servers (and SQLite): table, query,
chunked streaming, watermark increments, secrets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingest_support import data_rows, pack_context, read, source, update_of
from lingshu.connectors import ConnectorError
from lingshu.core.runner import run_pack

COLUMNS = [
    {"name": "id", "type": "BIGINT", "required": True},
    {"name": "name", "required": True},
    {"name": "amount", "type": "DECIMAL(12,2)"},
    {"name": "updated_at", "type": "TIMESTAMP", "required": True},
]


def _seed(url: str, rows: list[tuple]) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE IF NOT EXISTS permits (id INTEGER PRIMARY KEY, name VARCHAR(100), "
                          "amount NUMERIC(12,2), issued DATE, updated_at TIMESTAMP NULL)"))
        for row in rows:
            c.execute(sa.text("DELETE FROM permits WHERE id = :id"), {"id": row[0]})
            c.execute(sa.text("INSERT INTO permits VALUES (:id, :name, :amount, :issued, :updated_at)"),
                      dict(zip(("id", "name", "amount", "issued", "updated_at"), row)))
    engine.dispose()


T0 = dt.datetime(2024, 5, 1, 8, 0, 0)
FIRST = [(1, "临港新片区施工许可", 100.5, dt.date(2024, 1, 2), T0),
         (2, "滴水湖景观工程", None, None, T0 + dt.timedelta(hours=1)),
         (3, "港城道路维修", 30, dt.date(2024, 3, 4), T0 + dt.timedelta(hours=2))]


def test_table_read_in_chunks_as_text(db_url: str, tmp_path: Path) -> None:
    _seed(db_url, FIRST)
    table = read(source("sql", options={"url": db_url, "table": "permits", "chunk_rows": 2}), tmp_path)
    rows = sorted(data_rows(table), key=lambda r: int(r["id"]))
    assert rows[0] == {"id": "1", "name": "临港新片区施工许可", "amount": "100.50", "issued": "2024-01-02",
                       "updated_at": "2024-05-01 08:00:00"}
    assert rows[1]["amount"] is None and rows[1]["issued"] is None
    assert table.column("_row_number").to_pylist() == [1, 2, 3]
    assert "#" in table.column("_source_file")[0].as_py()


def test_query_source(db_url: str, tmp_path: Path) -> None:
    _seed(db_url, FIRST)
    table = read(source("sql", options={"url": db_url, "query": "SELECT id, name FROM permits WHERE id > 1;"}),
                 tmp_path)
    assert sorted(r["id"] for r in data_rows(table)) == ["2", "3"]


def test_watermark_increment_loads_only_new_and_changed_rows(db_url: str, tmp_path: Path) -> None:
    opts = {"url": db_url, "table": "permits",
            "incremental": {"mode": "watermark", "column": "updated_at", "unique_key": ["id"]}}
    _seed(db_url, FIRST)
    with pack_context(tmp_path, [source("sql", options=opts, columns=COLUMNS)]) as ctx:
        first = update_of(ctx, ctx.run("t").run_id)
        assert (first["rows_read"], first["rows_after"]) == (3, 3)
        assert ctx.state.watermark("ods.src")["value"] == "2024-05-01 10:00:00"
        # Row 2 changes, rows 4 and 5 are new; row 1 and 3 are untouched.
        _seed(db_url, [(2, "滴水湖景观工程（二期）", 75, None, T0 + dt.timedelta(hours=3)),
                       (4, "新增许可", 1, None, T0 + dt.timedelta(hours=4)),
                       (5, "新增许可二", 2, None, T0 + dt.timedelta(hours=5))])
        second = update_of(ctx, ctx.run("t").run_id)
        assert (second["rows_read"], second["rows_inserted"], second["rows_after"], second["rows_quarantined"]) == (
            3, 3, 5, 0)
        assert ctx.query("SELECT name FROM ods.src WHERE id = 2").column(0)[0].as_py() == "滴水湖景观工程（二期）"
        third = update_of(ctx, ctx.run("t").run_id)  # nothing new
        assert (third["rows_read"], third["rows_after"]) == (0, 5)
        reload = update_of(ctx, run_pack(ctx, "t", full_refresh=True).run_id)
        assert (reload["rows_read"], reload["rows_after"]) == (5, 5)


def test_password_comes_from_a_secret_and_never_from_the_pack(pg_url: str, tmp_path: Path) -> None:
    _seed(pg_url, FIRST)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "city_db").write_text("s3cret-不外传\n", encoding="utf-8")
    (secrets / "city_db").chmod(0o600)
    # Trust auth accepts any password, so this proves the plumbing, and that labels hide it.
    table = read(source("sql", options={"url": pg_url, "password_secret": "city_db", "table": "permits"}),
                 tmp_path, secrets=secrets)
    assert table.num_rows == 3 and "s3cret" not in table.column("_source_file")[0].as_py()
    with_password = pg_url.replace("postgres@", "postgres:hunter2@")
    with pytest.raises(ConnectorError, match="contains a password") as err:
        read(source("sql", options={"url": with_password, "table": "permits"}), tmp_path)
    assert "hunter2" not in str(err.value)
    (secrets / "city_db").chmod(0o644)
    with pytest.raises(ConnectorError, match="can be read by other users"):
        read(source("sql", options={"url": pg_url, "password_secret": "city_db", "table": "permits"}),
             tmp_path, secrets=secrets)


def test_unreachable_server_and_missing_table_are_clear(pg_url: str, tmp_path: Path) -> None:
    with pytest.raises(ConnectorError) as err:
        read(source("sql", options={"url": pg_url, "table": "no_such_table"}), tmp_path)
    assert "cannot read" in err.value.message and "no_such_table" in err.value.message
    with pytest.raises(ConnectorError) as err:
        read(source("sql", options={"url": "postgresql+psycopg://u@127.0.0.1:1/db", "table": "t",
                                    "connect_timeout": 2}), tmp_path)
    assert "127.0.0.1:1" in err.value.message and err.value.hint
    with pytest.raises(ConnectorError, match="exactly one of table: or query:"):
        read(source("sql", options={"url": pg_url}), tmp_path)


def test_sqlite_file_source(tmp_path: Path) -> None:
    db = tmp_path / "data" / "local.db"
    db.parent.mkdir()
    _seed(f"sqlite:///{db}", FIRST)
    table = read(source("sqlite", path="data/local.db", options={"table": "permits"}), tmp_path)
    assert sorted(r["name"] for r in data_rows(table))[0] == "临港新片区施工许可"
