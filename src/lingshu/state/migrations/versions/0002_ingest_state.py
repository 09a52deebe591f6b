"""Incremental ingest state: watermarks and loaded files per ODS table.

A frozen copy of the tables as they were at this revision (see 0001 for why).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_watermarks",
        sa.Column("table_name", sa.String(200), primary_key=True),
        sa.Column("column_name", sa.String(200), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ingest_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("table_name", sa.String(200), nullable=False, index=True),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("table_name", "path", name="uq_ingest_files_table_path"),
    )


def downgrade() -> None:
    op.drop_table("ingest_files")
    op.drop_table("ingest_watermarks")
