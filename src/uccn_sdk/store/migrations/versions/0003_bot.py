"""Connector state (sync tokens) and requests to be linked to a city.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connector_state",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.String(2000), nullable=False),
    )
    op.create_table(
        "link_requests",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("handle", sa.String(255), primary_key=True),
        sa.Column("city", sa.String(100), sa.ForeignKey("cities.id"), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("link_requests")
    op.drop_table("connector_state")
