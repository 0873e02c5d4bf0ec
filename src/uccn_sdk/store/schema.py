"""The tables. Each record is kept whole as JSON, beside the columns queries filter on.

Changing a table here needs a new numbered migration in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from uccn_sdk.store.dialect import Document

metadata = MetaData()

cities = Table(
    "cities",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("region", String(40), index=True),
    Column("field", String(100), nullable=False, index=True),
    Column("year", Integer, nullable=False, index=True),
    Column("origin", String(100), nullable=False),
    Column("data", Document(), nullable=False),
    Column("sort_key", String(700), nullable=False, server_default="", index=True),
)

source_loads = Table(
    "source_loads",
    metadata,
    Column("source", String(100), primary_key=True),
    Column("version", String(100), nullable=False),
    Column("cities", Integer, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)

focal_points = Table(
    "focal_points",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("city", String(100), ForeignKey("cities.id"), nullable=False, index=True),
    Column("data", Document(), nullable=False),
)

focal_point_handles = Table(
    "focal_point_handles",
    metadata,
    Column("platform", String(32), primary_key=True),
    Column("handle", String(255), primary_key=True),
    Column(
        "focal_point",
        String(100),
        ForeignKey("focal_points.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

projects = Table(
    "projects",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("lead_city", String(100), ForeignKey("cities.id"), nullable=False, index=True),
    Column("data", Document(), nullable=False),
)

calls = Table(
    "calls",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("state", String(10), nullable=False, index=True),
    Column("deadline", DateTime(timezone=True), nullable=False, index=True),
    Column("data", Document(), nullable=False),
)

replies = Table(
    "replies",
    metadata,
    Column("call", String(100), ForeignKey("calls.id"), primary_key=True),
    Column("city", String(100), ForeignKey("cities.id"), primary_key=True),
    Column("withdrawn", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("data", Document(), nullable=False),
)

announcements = Table(
    "announcements",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("state", String(10), nullable=False, index=True),
    Column("data", Document(), nullable=False),
    # Deliveries due up to this moment have been queued, skipped or reported missed.
    Column("processed_until", DateTime(timezone=True)),
    # When the next delivery falls due: the schedule, kept here only; the leader wakes then.
    Column("next_due", DateTime(timezone=True), index=True),
)

announcement_deliveries = Table(
    "announcement_deliveries",
    metadata,
    Column("announcement", String(100), primary_key=True),
    Column("platform", String(32), primary_key=True),
    Column("room", String(255), primary_key=True),
    Column("occurrence", String(40), primary_key=True),
    Column("due", DateTime(timezone=True), nullable=False),
    Column("status", String(10), nullable=False),
    Column("reason", String(200)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

matches = Table(
    "matches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(1100), nullable=False),
    Column("other", String(1100), nullable=False),
    Column("score", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("data", Document(), nullable=False),
    Column("round", String(100), index=True),
    Index("ix_matches_pair", "subject", "other"),
)

match_optouts = Table(
    "match_optouts",
    metadata,
    Column("city", String(100), ForeignKey("cities.id"), primary_key=True),
    Column("since", DateTime(timezone=True), nullable=False),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("follow_up_at", DateTime(timezone=True), index=True),
    Column("data", Document(), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("platform", String(32), nullable=False),
    Column("room", String(255), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("call", String(100), index=True),
    Column("city", String(100)),
    Column("payload", Document(), nullable=False),
    Column("state", String(10), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("error", String(500)),
    Column("event_id", String(255)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("claimed_by", String(100)),
    Column("claimed_until", DateTime(timezone=True)),
    Column("tried_at", DateTime(timezone=True)),
    Column("announcement", String(100), index=True),
    Index("ix_outbox_sent_event", "platform", "event_id"),
)

inbound_events = Table(
    "inbound_events",
    metadata,
    Column("platform", String(32), primary_key=True),
    Column("event_id", String(255), primary_key=True),
    Column("handled_at", DateTime(timezone=True), nullable=False),
)

inbox = Table(
    "inbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(32), nullable=False),
    Column("event_id", String(255), nullable=False),
    Column("event", Document(), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_until", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("error", Text),
    UniqueConstraint("platform", "event_id", name="uq_inbox_event"),
)

reply_sources = Table(
    "reply_sources",
    metadata,
    Column("platform", String(32), primary_key=True),
    Column("event_id", String(255), primary_key=True),
    Column("call", String(100), nullable=False),
    Column("city", String(100), nullable=False),
)

unlinked_replies = Table(
    "unlinked_replies",
    metadata,
    Column("call", String(100), ForeignKey("calls.id"), primary_key=True),
    Column("platform", String(32), primary_key=True),
    Column("author", String(255), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("data", Document(), nullable=False),
)

connector_state = Table(
    "connector_state",
    metadata,
    Column("platform", String(32), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("value", String(2000), nullable=False),
)

signin_links = Table(
    "signin_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    Column("ended_at", DateTime(timezone=True)),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("platform", String(32), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(100), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("detail", Text, nullable=False),
)

link_requests = Table(
    "link_requests",
    metadata,
    Column("platform", String(32), primary_key=True),
    Column("handle", String(255), primary_key=True),
    Column("city", String(100), ForeignKey("cities.id"), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)
