"""Matching: opt-outs, rounds, and which round a recorded match came from.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "match_optouts",
        sa.Column("city", sa.String(100), sa.ForeignKey("cities.id"), primary_key=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("follow_up_at", sa.DateTime(timezone=True)),
        sa.Column("data", Document, nullable=False),
    )
    op.create_index("ix_rounds_follow_up_at", "rounds", ["follow_up_at"])
    with op.batch_alter_table("matches") as batch:
        batch.add_column(sa.Column("round", sa.String(100)))
        batch.create_index("ix_matches_round", ["round"])


def downgrade() -> None:
    with op.batch_alter_table("matches") as batch:
        batch.drop_index("ix_matches_round")
        batch.drop_column("round")
    op.drop_table("rounds")
    op.drop_table("match_optouts")
