"""Tables of the state store. Changing them needs a new Alembic migration in ``migrations/``."""

from __future__ import annotations

from sqlalchemy import (BigInteger, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

# One row per run of a pack (or of an ad-hoc selection of models).
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pack", String(100), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # run, ingest, quality, backfill...
    Column("engine", String(20), nullable=False),
    Column("trigger", String(20), nullable=False),  # manual, schedule, demo, test
    Column("user", String(100)),
    Column("status", String(20), nullable=False),  # running, success, failed, partial
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("error", Text),
)

# 数据更新日志: one row per table touched by a run.
table_updates = Table(
    "table_updates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("table_name", String(200), nullable=False, index=True),
    Column("step", String(20), nullable=False),  # ingest, model
    Column("status", String(20), nullable=False),  # success, failed, skipped
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("rows_before", BigInteger),
    Column("rows_after", BigInteger),
    Column("rows_inserted", BigInteger),
    Column("rows_updated", BigInteger),
    Column("rows_deleted", BigInteger),
    Column("rows_read", BigInteger),  # ingest: rows read = loaded + quarantined
    Column("rows_quarantined", BigInteger),
    Column("error", Text),
)

# Incremental ingest (migration 0002): the largest watermark value loaded per ODS table...
ingest_watermarks = Table(
    "ingest_watermarks",
    metadata,
    Column("table_name", String(200), primary_key=True),
    Column("column_name", String(200), nullable=False),
    Column("value", Text, nullable=False),  # as text; typed with the column's declared type on use
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# ...and the files already loaded per ODS table (incremental by file: new files only).
ingest_files = Table(
    "ingest_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("table_name", String(200), nullable=False, index=True),
    Column("path", String(1024), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("table_name", "path", name="uq_ingest_files_table_path"),
)
