"""The inbox: each event a connector receives is kept here before the platform is answered,
and handled from here, so answering quickly never risks losing the event.

A row is taken by one worker at a time for a lease, as in the outbox; a worker that dies
while handling leaves it to be taken again, and the core's record of handled events makes
handling it twice change nothing. An event whose handling fails is tried again after a
lease, up to MAX_ATTEMPTS times; then it stays in the table with its last error, for the
operator, and is no longer taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, or_, select, update

from uccn_sdk.chat import codec
from uccn_sdk.chat.events import Event
from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for
from uccn_sdk.store.repository import aware

MAX_ATTEMPTS = 5


class Inbox:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def backlog(self) -> tuple[int, datetime | None]:
        """How many events wait to be handled, and when the oldest of them came."""
        t = schema.inbox
        row = self.connection.execute(
            select(func.count(), func.min(t.c.received_at)).where(t.c.attempts < MAX_ATTEMPTS)
        ).one()
        return int(row[0]), aware(row[1])

    def add(self, event: Event) -> bool:
        """Keep `event`; False when it is kept already (a platform's redelivery)."""
        statement = insert_for(self.connection, schema.inbox)
        result = self.connection.execute(
            statement.on_conflict_do_nothing(index_elements=["platform", "event_id"]).returning(
                schema.inbox.c.id
            ),
            {
                "platform": event.platform,
                "event_id": event.event_id,
                "event": codec.dump(event),
                "received_at": datetime.now(UTC),
            },
        )
        return result.first() is not None

    def claim(
        self, worker: str, *, limit: int = 100, lease: timedelta = timedelta(minutes=1)
    ) -> list[tuple[int, Event]]:
        """Take up to `limit` events to handle, oldest first, for the `lease`."""
        t = schema.inbox
        now = datetime.now(UTC)
        free = or_(t.c.claimed_until.is_(None), t.c.claimed_until < now, t.c.claimed_by == worker)
        query = (
            select(t.c.id).where(free, t.c.attempts < MAX_ATTEMPTS).order_by(t.c.id).limit(limit)
        )
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = [row.id for row in self.connection.execute(query)]
        if not ids:
            return []
        self.connection.execute(
            update(t).where(t.c.id.in_(ids)).values(claimed_by=worker, claimed_until=now + lease)
        )
        rows = self.connection.execute(select(t.c.id, t.c.event).where(t.c.id.in_(ids)))
        return sorted((row.id, codec.load(row.event)) for row in rows)

    def done(self, row_ids: Sequence[int]) -> None:
        if row_ids:
            self.connection.execute(delete(schema.inbox).where(schema.inbox.c.id.in_(row_ids)))

    def failed(self, row_id: int, error: str, lease: timedelta) -> int:
        """Record that handling a row failed; it is tried again after `lease`, by any worker,
        until MAX_ATTEMPTS. Returns the attempts made so far."""
        t = schema.inbox
        attempts = self.connection.execute(
            update(t)
            .where(t.c.id == row_id)
            .values(
                claimed_by=None,
                claimed_until=datetime.now(UTC) + lease,
                attempts=t.c.attempts + 1,
                error=error[:2000],
            )
            .returning(t.c.attempts)
        ).scalar_one()
        return int(attempts)

    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(schema.inbox)).one()[0])


class InboundEvents:
    """The events already handled, so a redelivered event is handled once."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def handled(self, platform: str, event_id: str) -> bool:
        t = schema.inbound_events
        found = self.connection.execute(
            select(t.c.event_id).where(t.c.platform == platform, t.c.event_id == event_id)
        )
        return found.first() is not None

    def claim(self, platform: str, event_id: str) -> bool:
        """Record the event as handled in this transaction; False if it was handled before."""
        statement = insert_for(self.connection, schema.inbound_events)
        result = self.connection.execute(
            statement.on_conflict_do_nothing(index_elements=["platform", "event_id"]).returning(
                schema.inbound_events.c.event_id
            ),
            {"platform": platform, "event_id": event_id, "handled_at": datetime.now(UTC)},
        )
        return result.first() is not None
