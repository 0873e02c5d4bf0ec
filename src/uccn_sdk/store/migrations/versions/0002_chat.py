"""The outbox, handled inbound events, reply sources and replies from unlinked senders.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("room", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("call", sa.String(100)),
        sa.Column("city", sa.String(100)),
        sa.Column("payload", Document, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.String(500)),
        sa.Column("event_id", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_outbox_call", "outbox", ["call"])
    op.create_index("ix_outbox_state", "outbox", ["state"])
    op.create_index("ix_outbox_sent_event", "outbox", ["platform", "event_id"])

    op.create_table(
        "inbound_events",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "reply_sources",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("call", sa.String(100), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
    )

    op.create_table(
        "unlinked_replies",
        sa.Column("call", sa.String(100), sa.ForeignKey("calls.id"), primary_key=True),
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("author", sa.String(255), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", Document, nullable=False),
    )


def downgrade() -> None:
    for table in ("unlinked_replies", "reply_sources", "inbound_events", "outbox"):
        op.drop_table(table)
