"""The outbox: every message the bot sends is a row first, keyed so it is never sent twice."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from uccn_sdk.chat.events import (
    Attachment,
    CallCard,
    Outbound,
    OutboundMessage,
    OutboundReaction,
)
from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for
from uccn_sdk.store.repository import aware

PENDING, SENT, FAILED = "pending", "sent", "failed"
PER_ROOM = 10
"""The most rows of one room a worker takes at a time: a room's backlog waits its turn."""


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str
    platform: str
    room: str
    kind: str
    call: str | None
    city: str | None
    announcement: str | None
    message: Outbound
    state: str
    attempts: int
    event_id: str | None
    retry: bool = False
    """Whether a send of this row may have been tried before (a failed attempt, or a worker
    that died holding it): a connector without idempotent sends checks before posting."""
    tried_at: datetime | None = None
    """When the last try to send the row began (None: never tried). A post that try made is
    not older, and every try before it checked that the one before had not posted."""


@dataclass(frozen=True)
class Queued:
    """A message to queue, for :meth:`Outbox.enqueue_many`."""

    key: str
    platform: str
    message: Outbound
    kind: str
    call: str | None = None
    city: str | None = None
    announcement: str | None = None


def _payload(message: Outbound) -> dict[str, Any]:
    if isinstance(message, OutboundMessage):
        payload: dict[str, Any] = {
            "type": "message",
            "text": message.text,
            "thread_root": message.thread_root,
        }
        if message.mentions:
            payload["mentions"] = list(message.mentions)
        if message.only_for:
            payload["only_for"] = message.only_for
        if message.reply_to:
            payload["reply_to"] = message.reply_to
        if message.closes:
            payload["closes"] = message.closes
        if message.attachment is not None:
            payload["attachment"] = dataclasses.asdict(message.attachment)
        if message.card is not None:
            card = message.card
            payload["card"] = {
                "call": card.call,
                "title": card.title,
                "text": card.text,
                "questions": list(card.questions),
                "hint": card.hint,
                "deadline": card.deadline.isoformat(),
                "deadline_label": card.deadline_label,
                "reply_label": card.reply_label,
                "question": card.question,
                "choices": list(card.choices),
            }
        return payload
    return {"type": "reaction", "target": message.target, "key": message.key}


def _message(room: str, payload: dict[str, Any]) -> Outbound:
    if payload["type"] == "message":
        card = payload.get("card")
        attachment = payload.get("attachment")
        return OutboundMessage(
            room=room,
            text=payload["text"],
            thread_root=payload["thread_root"],
            mentions=tuple(payload.get("mentions", ())),
            only_for=payload.get("only_for"),
            reply_to=payload.get("reply_to"),
            closes=payload.get("closes"),
            attachment=Attachment(**attachment) if attachment else None,
            card=CallCard(
                **{
                    **card,
                    "questions": tuple(card["questions"]),
                    "choices": tuple(card.get("choices", ())),
                    "deadline": datetime.fromisoformat(card["deadline"]),
                }
            )
            if card
            else None,
        )
    return OutboundReaction(room=room, target=payload["target"], key=payload["key"])


class Outbox:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def enqueue(
        self,
        key: str,
        platform: str,
        message: Outbound,
        *,
        kind: str,
        call: str | None = None,
        city: str | None = None,
        announcement: str | None = None,
    ) -> bool:
        """Queue a message; return False if a message with this key was queued before."""
        queued = Queued(key, platform, message, kind, call, city, announcement)
        return self.enqueue_many([queued]) == 1

    def enqueue_many(self, items: Sequence[Queued]) -> int:
        """Queue several messages in one statement; return how many were new."""
        if not items:
            return 0
        statement = insert_for(self.connection, schema.outbox)
        now = datetime.now(UTC)
        # RETURNING tells which rows went in; rowcount is not reliable for ON CONFLICT.
        result = self.connection.execute(
            statement.on_conflict_do_nothing(index_elements=["key"]).returning(schema.outbox.c.id),
            [
                {
                    "key": item.key,
                    "platform": item.platform,
                    "room": item.message.room,
                    "kind": item.kind,
                    "call": item.call,
                    "city": item.city,
                    "announcement": item.announcement,
                    "payload": _payload(item.message),
                    "state": PENDING,
                    "attempts": 0,
                    "created_at": now,
                }
                for item in items
            ],
        )
        return len(result.all())

    def backlog(self) -> dict[str, tuple[int, datetime | None]]:
        """By platform: how many posts wait to be sent, and when the oldest was queued."""
        t = schema.outbox
        rows = self.connection.execute(
            select(t.c.platform, func.count(), func.min(t.c.created_at))
            .where(t.c.state == PENDING)
            .group_by(t.c.platform)
        )
        return {row[0]: (int(row[1]), aware(row[2])) for row in rows}

    def pending(self, platform: str | None = None, limit: int = 100) -> list[OutboxRow]:
        t = schema.outbox
        query = select(t).where(t.c.state == PENDING).order_by(t.c.id).limit(limit)
        if platform:
            query = query.where(t.c.platform == platform)
        return [self._row(row) for row in self.connection.execute(query)]

    def claim(
        self,
        worker: str,
        platform: str,
        *,
        limit: int = 50,
        lease: timedelta = timedelta(minutes=1),
        per_room: int = PER_ROOM,
        skip_rooms: Collection[str] = (),
    ) -> list[OutboxRow]:
        """Take up to `limit` pending rows for `worker`, oldest first and at most `per_room` of
        any one room (none of `skip_rooms`), for the `lease`.

        Rows another worker holds under an unexpired lease are skipped; on PostgreSQL the
        rows are locked with FOR UPDATE SKIP LOCKED, so two workers never take the same row.
        A worker that dies leaves its rows to be taken again once the lease ends.
        """
        t = schema.outbox
        now = datetime.now(UTC)
        free = or_(t.c.claimed_until.is_(None), t.c.claimed_until < now, t.c.claimed_by == worker)
        # At most `per_room` rows of any one room, so that a room with a long backlog (a flood,
        # a room the platform slows down) takes its turn beside the others, not before them.
        ranked = (
            select(
                t.c.id,
                func.row_number().over(partition_by=t.c.room, order_by=t.c.id).label("place"),
            )
            .where(t.c.state == PENDING, t.c.platform == platform, free)
            .where(t.c.room.not_in(list(skip_rooms)))
            .subquery()
        )
        query = (
            select(t.c.id)
            .where(t.c.id.in_(select(ranked.c.id).where(ranked.c.place <= per_room)))
            # Again on the row itself: on PostgreSQL a row another worker took and committed
            # meanwhile is checked anew here, which the subquery's snapshot would not do.
            .where(t.c.state == PENDING, t.c.platform == platform, free)
            .order_by(t.c.id)
            .limit(limit)
        )
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        query = query.add_columns(t.c.claimed_by)
        held = {row.id: row.claimed_by for row in self.connection.execute(query)}
        if not held:
            return []
        # Taken only if still free: on SQLite the select above reads outside the write lock,
        # and another worker may have taken some of the rows since (they would go out twice).
        taken = self.connection.execute(
            update(t)
            .where(t.c.id.in_(list(held)), t.c.state == PENDING, free)
            .values(claimed_by=worker, claimed_until=now + lease)
            .returning(t.c.id)
        )
        ids = [row.id for row in taken]
        if not ids:
            return []
        rows = self.connection.execute(select(t).where(t.c.id.in_(ids)).order_by(t.c.id))
        return [
            # Held before, even by this worker: a send of it may have been cut off half way.
            self._row(row, retry=row.attempts > 0 or held[row.id] is not None)
            for row in rows
        ]

    def release(self, row_ids: Sequence[int]) -> None:
        """Give back rows a worker took but did not try to send, for any worker to take."""
        if row_ids:
            t = schema.outbox
            self.connection.execute(
                update(t).where(t.c.id.in_(row_ids)).values(claimed_by=None, claimed_until=None)
            )

    def trying(self, row_id: int) -> None:
        """Note that a try to send the row begins now (see :attr:`OutboxRow.tried_at`)."""
        t = schema.outbox
        self.connection.execute(
            update(t).where(t.c.id == row_id).values(tried_at=datetime.now(UTC))
        )

    def mark_sent(self, row_id: int, event_id: str) -> None:
        t = schema.outbox
        self.connection.execute(
            update(t)
            .where(t.c.id == row_id)
            .values(
                state=SENT, event_id=event_id, sent_at=datetime.now(UTC), attempts=t.c.attempts + 1
            )
        )

    def mark_failed(self, row_id: int, error: str, *, final: bool) -> None:
        t = schema.outbox
        self.connection.execute(
            update(t)
            .where(t.c.id == row_id)
            .values(
                state=FAILED if final else PENDING, error=error[:500], attempts=t.c.attempts + 1
            )
        )

    def withdraw(self, announcement: str) -> int:
        """Stop every post of `announcement` not sent yet; return how many were stopped."""
        t = schema.outbox
        result = self.connection.execute(
            update(t)
            .where(t.c.announcement == announcement, t.c.state == PENDING)
            .values(state=FAILED, error="the announcement was cancelled")
        )
        return int(result.rowcount or 0)

    def states_of_announcement(self, announcement: str) -> dict[str, tuple[str, str | None]]:
        """The state (pending, sent, failed) and last error of each post of `announcement`,
        by key."""
        t = schema.outbox
        rows = self.connection.execute(
            select(t.c.key, t.c.state, t.c.error).where(t.c.announcement == announcement)
        )
        return {row.key: (row.state, row.error) for row in rows}

    def by_key(self, key: str) -> OutboxRow | None:
        t = schema.outbox
        row = self.connection.execute(select(t).where(t.c.key == key)).first()
        return self._row(row) if row is not None else None

    def call_of_post(self, platform: str, event_id: str) -> str | None:
        """The call whose post has this event id, so a thread under it is a reply."""
        t = schema.outbox
        row = self.connection.execute(
            select(t.c.call).where(
                and_(t.c.platform == platform, t.c.event_id == event_id, t.c.kind == "call")
            )
        ).first()
        return str(row.call) if row else None

    def round_of_post(self, platform: str, event_id: str) -> str | None:
        """The matching round whose introduction has this event id (its thread's root)."""
        t = schema.outbox
        row = self.connection.execute(
            select(t.c.key).where(
                and_(
                    t.c.platform == platform,
                    t.c.event_id == event_id,
                    t.c.kind == "introduction",
                )
            )
        ).first()
        # Introductions are keyed round:ID:PLATFORM:GROUP[:CITY], and a round id has no colon.
        return str(row.key).split(":")[1] if row else None

    def for_call(self, call: str, kind: str | None = None) -> list[OutboxRow]:
        t = schema.outbox
        query = select(t).where(t.c.call == call).order_by(t.c.id)
        if kind:
            query = query.where(t.c.kind == kind)
        return [self._row(row) for row in self.connection.execute(query)]

    @staticmethod
    def _row(row: Any, *, retry: bool = False) -> OutboxRow:
        return OutboxRow(
            id=row.id,
            key=row.key,
            platform=row.platform,
            room=row.room,
            kind=row.kind,
            call=row.call,
            city=row.city,
            announcement=row.announcement,
            message=_message(row.room, row.payload),
            state=row.state,
            attempts=row.attempts,
            event_id=row.event_id,
            retry=retry,
            tried_at=aware(row.tried_at),
        )
