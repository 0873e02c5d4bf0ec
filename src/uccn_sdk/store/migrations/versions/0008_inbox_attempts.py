"""The inbox counts failed attempts at handling an event, and keeps the last error.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "inbox", sa.Column("attempts", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column("inbox", sa.Column("error", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("error")
        batch.drop_column("attempts")
