"""Cities, focal points, projects, calls, replies, announcements and matches.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Document = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "cities",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("region", sa.String(40)),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("origin", sa.String(100), nullable=False),
        sa.Column("data", Document, nullable=False),
    )
    for column in ("country", "region", "field", "year"):
        op.create_index(f"ix_cities_{column}", "cities", [column])

    op.create_table(
        "source_loads",
        sa.Column("source", sa.String(100), primary_key=True),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("cities", sa.Integer, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "focal_points",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("city", sa.String(100), sa.ForeignKey("cities.id"), nullable=False),
        sa.Column("data", Document, nullable=False),
    )
    op.create_index("ix_focal_points_city", "focal_points", ["city"])

    op.create_table(
        "focal_point_handles",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("handle", sa.String(255), primary_key=True),
        sa.Column(
            "focal_point",
            sa.String(100),
            sa.ForeignKey("focal_points.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index(
        "ix_focal_point_handles_focal_point", "focal_point_handles", ["focal_point"]
    )

    op.create_table(
        "projects",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("lead_city", sa.String(100), sa.ForeignKey("cities.id"), nullable=False),
        sa.Column("data", Document, nullable=False),
    )
    op.create_index("ix_projects_lead_city", "projects", ["lead_city"])

    op.create_table(
        "calls",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", Document, nullable=False),
    )
    op.create_index("ix_calls_state", "calls", ["state"])
    op.create_index("ix_calls_deadline", "calls", ["deadline"])

    op.create_table(
        "replies",
        sa.Column("call", sa.String(100), sa.ForeignKey("calls.id"), primary_key=True),
        sa.Column("city", sa.String(100), sa.ForeignKey("cities.id"), primary_key=True),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", Document, nullable=False),
    )

    op.create_table(
        "announcements",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("data", Document, nullable=False),
    )
    op.create_index("ix_announcements_state", "announcements", ["state"])

    op.create_table(
        "matches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(1100), nullable=False),
        sa.Column("other", sa.String(1100), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", Document, nullable=False),
    )
    op.create_index("ix_matches_pair", "matches", ["subject", "other"])


def downgrade() -> None:
    for table in (
        "matches",
        "announcements",
        "replies",
        "calls",
        "projects",
        "focal_point_handles",
        "focal_points",
        "source_loads",
        "cities",
    ):
        op.drop_table(table)
