"""Tables of the state store. Changing them needs a new Alembic migration in ``migrations/``."""

from __future__ import annotations

from sqlalchemy import (BigInteger, Column, DateTime, Float, ForeignKey, Integer, MetaData, String, Table, Text,
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
    Column("approval", String(20)),  # the pack's review status when it ran (0006): approved, unreviewed...
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

# --- security: accounts, keys, grants, audit, approvals (migration 0003) -----------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100)),
    Column("department", String(100)),
    Column("password_hash", String(200)),  # pbkdf2-sm3$iterations$salt$hash; NULL = key-only account
    Column("roles", String(200), nullable=False),  # comma-separated role names
    Column("active", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),  # SM3 of the whole key; the key itself is never stored
    Column("label", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
    Column("rate_per_minute", Integer),  # per-key limit (0007); NULL = the workspace default
    Column("allowed_ips", Text),  # comma-separated addresses or CIDR networks (0007); NULL = any
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

grants = Table(
    "grants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(100), nullable=False, index=True),  # "user:<name>" or "role:<name>"
    Column("resource", String(200), nullable=False),  # "dataset:ads.x", "indicator:pack.id", "pack:id", "*"
    Column("actions", String(200), nullable=False),  # comma-separated: read, export, decrypt, run
    Column("columns", Text),  # JSON list of visible columns, NULL = all allowed by classification
    Column("row_filter", Text),  # SQL condition limiting rows, NULL = all rows
    Column("extent", String(200)),  # "minx,miny,maxx,maxy" for spatial datasets
    Column("granted_by", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("resource", String(200)),
    Column("outcome", String(20), nullable=False),  # allowed, denied, error
    Column("detail", Text),  # JSON, never personal data or secrets
    Column("hash", String(64), nullable=False),  # SM3 chain: hash(prev.hash || record)
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pack", String(100), nullable=False, index=True),
    Column("fingerprint", String(64), nullable=False),  # hash of the pack's files at review time
    Column("snapshot", Text),  # JSON {path: text} of the pack's files at request time (0006), for diffs
    Column("status", String(20), nullable=False),  # pending, approved, rejected
    Column("requested_by", String(64)),
    Column("reviewed_by", String(64)),
    Column("comment", Text),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("reviewed_at", DateTime(timezone=True)),
)

# --- operations: scheduled jobs, alerts, incidents, backups (ops migration) ---------------------

# One row per (job, slot): the INSERT is the lock. The unique constraint lets exactly one scheduler
# process win a scheduled time, on SQLite and PostgreSQL alike; the row then records the outcome.
job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job", String(100), nullable=False),  # pack id, or "__backup__"
    Column("slot", String(60), nullable=False),  # scheduled time (ISO, Asia/Shanghai) or "manual:<id>"
    Column("scheduled_for", DateTime(timezone=True), nullable=False),
    Column("kind", String(20), nullable=False),  # schedule, backfill, manual, backup
    Column("owner", String(100), nullable=False),  # host:pid:instance of the scheduler that won
    Column("status", String(20), nullable=False),  # running, success, failed, skipped
    Column("attempts", Integer, nullable=False, default=0),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
    Column("acquired_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("detail", Text),
    UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
)

job_attempts = Table(
    "job_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_run_id", Integer, ForeignKey("job_runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
    Column("status", String(20), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("error", Text),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, index=True),  # what failed; one open incident per key
    Column("grade", String(20), nullable=False),  # urgent 紧急, serious 严重, general 一般
    Column("kind", String(40), nullable=False),  # run_failed, quality_blocking, stale_source, health_check
    Column("rule", String(100)),  # the grading rule that matched
    Column("title", String(300), nullable=False),
    Column("summary", Text),
    Column("source", String(200)),
    Column("status", String(20), nullable=False),  # open, acknowledged, resolved, closed
    Column("occurrences", Integer, nullable=False, default=1),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("response_due", DateTime(timezone=True), nullable=False),
    Column("recovery_due", DateTime(timezone=True), nullable=False),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", String(64)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(64)),
    Column("closed_at", DateTime(timezone=True)),
    Column("closed_by", String(64)),
    Column("cause", Text),
    Column("fix", Text),
    Column("detail", Text),  # JSON; names and counts, never personal data or secrets
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("key", String(200), nullable=False),
    Column("title", String(300), nullable=False),
    Column("message", Text),
    Column("source", String(200)),
    Column("grade", String(20)),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="SET NULL"), index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per alert per channel; the console channel's rows are the console's notification list.
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("channel", String(40), nullable=False),  # console, webhook, email
    Column("target", String(300)),  # where it went, with any token in a URL removed
    Column("status", String(20), nullable=False),  # unread, read, sent, failed
    Column("attempts", Integer, nullable=False, default=1),
    Column("error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
)

backups = Table(
    "backups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", String(100), nullable=False, unique=True),  # the backup folder's name
    Column("path", String(1024), nullable=False),
    Column("parts", Text, nullable=False),  # JSON: what was saved, what was skipped and why
    Column("size_bytes", BigInteger),
    Column("status", String(20), nullable=False),  # complete, partial, failed, pruned
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(64)),
    Column("pruned_at", DateTime(timezone=True)),
)

# --- quality: one row per check of one table, one row per rule of it (migration 0004) ----------

quality_runs = Table(
    "quality_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL"), index=True),  # pack or quality run
    Column("pack", String(100), nullable=False, index=True),
    Column("table_name", String(200), nullable=False, index=True),
    Column("row_count", BigInteger),  # rows at check time (row_count_change compares with it)
    Column("status", String(20), nullable=False),  # passed, warning, failed
    Column("score", Float),  # 0-100, mean of the dimension scores
    Column("dimension_scores", Text),  # JSON {"conformity": 98.5, ...}
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)

quality_results = Table(
    "quality_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quality_run_id", Integer, ForeignKey("quality_runs.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("table_name", String(200), nullable=False),
    Column("rule_id", String(200), nullable=False),
    Column("kind", String(50), nullable=False),
    Column("dimension", String(20), nullable=False),  # GB/T 36344: conformity, completeness, ...
    Column("severity", String(20), nullable=False),  # blocking, warning
    Column("checked", BigInteger, nullable=False),
    Column("failed", BigInteger, nullable=False),
    Column("ratio", Float, nullable=False),
    Column("status", String(20), nullable=False),  # passed, failed, error
    Column("sample", Text),  # JSON list of offending rows, sensitive columns already masked
    Column("detail", Text),  # JSON: measured values (latest timestamp, previous row count...)
    Column("error", Text),
)

# Indicator definitions as they were run (0007): a changed definition gets the next version number.
indicator_versions = Table(
    "indicator_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", String(200), nullable=False, index=True),  # pack.id
    Column("version", Integer, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("declared_version", Integer),  # the version written in indicators.yaml
    Column("definition", Text, nullable=False),  # JSON of the definition
    Column("first_seen", DateTime(timezone=True), nullable=False),
)
