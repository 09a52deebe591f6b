"""Per-key rate limits and IP allow-lists; the indicator version history.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("rate_per_minute", sa.Integer))
        batch.add_column(sa.Column("allowed_ips", sa.Text))
    op.create_table(
        "indicator_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator", sa.String(200), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("declared_version", sa.Integer),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("indicator_versions")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("allowed_ips")
        batch.drop_column("rate_per_minute")
