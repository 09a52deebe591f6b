"""Approval snapshots (what exactly was reviewed, for diffs) and each run's review status.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("approvals") as batch:
        batch.add_column(sa.Column("snapshot", sa.Text))
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("approval", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("approval")
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("snapshot")
