"""The state store: one class over SQLAlchemy that the Context, CLI, server and tests share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.exc import SQLAlchemyError

from lingshu.core.errors import StateError
from lingshu.state.schema import ingest_files, ingest_watermarks, runs, table_updates

MIGRATIONS = Path(__file__).parent / "migrations"


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TableUpdate:
    """What a step did to one table; filled in by the step, written by ``StateStore.track``."""

    table_name: str
    step: str
    rows_before: int | None = None
    rows_after: int | None = None
    rows_inserted: int | None = None
    rows_updated: int | None = None
    rows_deleted: int | None = None
    rows_read: int | None = None
    rows_quarantined: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _sqlite_pragmas(dbapi: Any, _record: Any) -> None:
    # SQLite ignores ON DELETE CASCADE unless asked, per connection. WAL lets the server read
    # while a run writes, and synchronous=NORMAL (safe in WAL mode against process crashes)
    # turns each audit insert from an fsync into a log append.
    dbapi.execute("PRAGMA foreign_keys=ON")
    dbapi.execute("PRAGMA journal_mode=WAL")
    dbapi.execute("PRAGMA synchronous=NORMAL")
    dbapi.execute("PRAGMA busy_timeout=10000")


class StateStore:
    def __init__(self, url: str):
        self.url = url
        try:
            self.engine = sa.create_engine(url, future=True)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StateError(f"bad state-store URL: {exc}", hint="use sqlite:///path or postgresql://...") from None
        if url.startswith("sqlite"):
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)

    # -- schema ---------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the store to the newest schema (idempotent; runs at every workspace open)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
        except SQLAlchemyError as exc:
            raise StateError(
                f"cannot reach or migrate the state store {self.safe_url}: {exc.orig or exc}",
                hint="check that the database server is running and the URL in lingshu.yaml is right",
            ) from None

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages and logs."""
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def revision(self) -> str | None:
        with self.engine.connect() as c:
            return c.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self, pack: str, *, kind: str = "run", engine: str = "duckdb",
                  trigger: str = "manual", user: str | None = None, approval: str | None = None) -> int:
        with self.engine.begin() as c:
            result = c.execute(runs.insert().values(
                pack=pack, kind=kind, engine=engine, trigger=trigger, user=user,
                status="running", started_at=now(), approval=approval,
            ))
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, status: str, error: str | None = None) -> None:
        with self.engine.begin() as c:
            c.execute(runs.update().where(runs.c.id == run_id).values(
                status=status, ended_at=now(), error=error))

    @contextmanager
    def track(self, run_id: int, update: TableUpdate) -> Iterator[TableUpdate]:
        """Record one table's update around the block; a failure is logged and re-raised."""
        started = now()
        try:
            yield update
        except Exception as exc:
            self._write_update(run_id, update, started, "failed", str(exc))
            raise
        self._write_update(run_id, update, started, "success", None)

    def skip(self, run_id: int, table_name: str, step: str, reason: str) -> None:
        self._write_update(run_id, TableUpdate(table_name, step), now(), "skipped", reason)

    def _write_update(self, run_id: int, u: TableUpdate, started: datetime, status: str,
                      error: str | None) -> None:
        with self.engine.begin() as c:
            c.execute(table_updates.insert().values(
                run_id=run_id, table_name=u.table_name, step=u.step, status=status,
                started_at=started, ended_at=now(), rows_before=u.rows_before,
                rows_after=u.rows_after, rows_inserted=u.rows_inserted,
                rows_updated=u.rows_updated, rows_deleted=u.rows_deleted,
                rows_read=u.rows_read, rows_quarantined=u.rows_quarantined, error=error,
            ))

    # -- reading --------------------------------------------------------------------------------
    def list_runs(self, pack: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        query = sa.select(runs).order_by(runs.c.id.desc()).limit(limit)
        if pack:
            query = query.where(runs.c.pack == pack)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    def updates(self, run_id: int) -> list[dict[str, Any]]:
        query = sa.select(table_updates).where(table_updates.c.run_id == run_id).order_by(table_updates.c.id)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    def last_success(self, table_name: str) -> dict[str, Any] | None:
        query = (sa.select(table_updates).where(table_updates.c.table_name == table_name,
                                                table_updates.c.status == "success")
                 .order_by(table_updates.c.id.desc()).limit(1))
        with self.engine.connect() as c:
            row = c.execute(query).first()
            return dict(row._mapping) if row else None

    def recent_updates(self, table_name: str, step: str | None = None, limit: int = 5) -> list[dict[str, Any]]:
        """The latest update-log rows of one table, newest first (for the integration list)."""
        query = sa.select(table_updates).where(table_updates.c.table_name == table_name)
        if step:
            query = query.where(table_updates.c.step == step)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query.order_by(table_updates.c.id.desc()).limit(limit))]

    # -- incremental ingest ---------------------------------------------------------------------
    def watermark(self, table_name: str) -> dict[str, Any] | None:
        query = sa.select(ingest_watermarks).where(ingest_watermarks.c.table_name == table_name)
        with self.engine.connect() as c:
            row = c.execute(query).first()
            return dict(row._mapping) if row else None

    def set_watermark(self, table_name: str, column: str, value: str, run_id: int | None) -> None:
        values = {"column_name": column, "value": value, "run_id": run_id, "updated_at": now()}
        with self.engine.begin() as c:
            # Update-then-insert rather than a dialect's upsert: the same code on SQLite and PostgreSQL.
            done = c.execute(ingest_watermarks.update()
                             .where(ingest_watermarks.c.table_name == table_name).values(**values))
            if done.rowcount == 0:
                c.execute(ingest_watermarks.insert().values(table_name=table_name, **values))

    def loaded_files(self, table_name: str) -> set[str]:
        query = sa.select(ingest_files.c.path).where(ingest_files.c.table_name == table_name)
        with self.engine.connect() as c:
            return set(c.execute(query).scalars())

    def add_loaded_files(self, table_name: str, paths: list[str], run_id: int | None) -> None:
        new = sorted(set(paths) - self.loaded_files(table_name))
        if not new:
            return
        with self.engine.begin() as c:
            c.execute(ingest_files.insert(), [{"table_name": table_name, "path": p, "run_id": run_id,
                                               "loaded_at": now()} for p in new])

    def reset_ingest_state(self, table_name: str) -> None:
        """Forget what was loaded into ``table_name`` (a full reload starts from nothing)."""
        with self.engine.begin() as c:
            c.execute(ingest_watermarks.delete().where(ingest_watermarks.c.table_name == table_name))
            c.execute(ingest_files.delete().where(ingest_files.c.table_name == table_name))

    def dispose(self) -> None:
        self.engine.dispose()
