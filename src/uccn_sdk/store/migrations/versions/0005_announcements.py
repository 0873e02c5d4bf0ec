"""Scheduled announcements: revisions, deliveries, the scheduler's job store.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("announcements") as batch:
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("scheduled_revision", sa.Integer))
        batch.add_column(sa.Column("processed_until", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("next_due", sa.DateTime(timezone=True)))
        batch.create_index("ix_announcements_next_due", ["next_due"])
    op.create_table(
        "announcement_deliveries",
        sa.Column("announcement", sa.String(100), primary_key=True),
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("room", sa.String(255), primary_key=True),
        sa.Column("occurrence", sa.String(40), primary_key=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(200)),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "scheduler_jobs",
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25)),
        sa.Column("job_state", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_scheduler_jobs_next_run_time", "scheduler_jobs", ["next_run_time"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("announcement", sa.String(100)))
        batch.create_index("ix_outbox_announcement", ["announcement"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_announcement")
        batch.drop_column("announcement")
    op.drop_table("scheduler_jobs")
    op.drop_table("announcement_deliveries")
    with op.batch_alter_table("announcements") as batch:
        batch.drop_index("ix_announcements_next_due")
        batch.drop_column("next_due")
        batch.drop_column("processed_until")
        batch.drop_column("scheduled_revision")
        batch.drop_column("revision")
