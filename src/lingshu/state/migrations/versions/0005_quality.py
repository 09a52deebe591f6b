"""Quality: one row per check of a table (quality_runs), one per rule of it (quality_results).

A frozen copy of the tables at this revision (see 0001 for why migrations don't import the schema).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quality_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL"), index=True),
        sa.Column("pack", sa.String(100), nullable=False, index=True),
        sa.Column("table_name", sa.String(200), nullable=False, index=True),
        sa.Column("row_count", sa.BigInteger),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("dimension_scores", sa.Text),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
    )
    op.create_table(
        "quality_results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("quality_run_id", sa.Integer, sa.ForeignKey("quality_runs.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("table_name", sa.String(200), nullable=False),
        sa.Column("rule_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("dimension", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("checked", sa.BigInteger, nullable=False),
        sa.Column("failed", sa.BigInteger, nullable=False),
        sa.Column("ratio", sa.Float, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sample", sa.Text),
        sa.Column("detail", sa.Text),
        sa.Column("error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("quality_results")
    op.drop_table("quality_runs")
