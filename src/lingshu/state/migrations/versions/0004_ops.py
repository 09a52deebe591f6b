"""Operations: scheduled job locks and attempts, incidents, alerts, notifications, backups.

A frozen copy of the tables at this revision (see 0001 for why migrations don't import the schema).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job", sa.String(100), nullable=False),
        sa.Column("slot", sa.String(60), nullable=False),
        sa.Column("scheduled_for", TS, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.Column("acquired_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("detail", sa.Text),
        sa.UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
    )
    op.create_table(
        "job_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job_run_id", sa.Integer, sa.ForeignKey("job_runs.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.Column("error", sa.Text),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, index=True),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("rule", sa.String(100)),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("source", sa.String(200)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("occurrences", sa.Integer, nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("response_due", TS, nullable=False),
        sa.Column("recovery_due", TS, nullable=False),
        sa.Column("acknowledged_at", TS),
        sa.Column("acknowledged_by", sa.String(64)),
        sa.Column("resolved_at", TS),
        sa.Column("resolved_by", sa.String(64)),
        sa.Column("closed_at", TS),
        sa.Column("closed_by", sa.String(64)),
        sa.Column("cause", sa.Text),
        sa.Column("fix", sa.Text),
        sa.Column("detail", sa.Text),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("source", sa.String(200)),
        sa.Column("grade", sa.String(20)),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="SET NULL"), index=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("target", sa.String(300)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("read_at", TS),
    )
    op.create_table(
        "backups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("label", sa.String(100), nullable=False, unique=True),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("parts", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.BigInteger),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64)),
        sa.Column("pruned_at", TS),
    )


def downgrade() -> None:
    for table in ("backups", "notifications", "alerts", "incidents", "job_attempts", "job_runs"):
        op.drop_table(table)
