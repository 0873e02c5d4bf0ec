"""A call's records: the call, the cities' replies, and answers from people not linked yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from uccn_sdk.models import Answer, Call, CallState, Reply, UnlinkedReply
from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for
from uccn_sdk.store.repository import Repository


class CallRepository(Repository[Call]):
    table = schema.calls
    model = Call
    what = "call"

    def columns(self, record: Call) -> dict[str, Any]:
        return {"id": record.id, "state": record.state.value, "deadline": record.deadline}

    def in_state(self, state: str) -> list[Call]:
        return self._select(self.table.c.state == state)


@dataclass(frozen=True)
class Brief:
    """A city's current answers to a call, and how many earlier versions it keeps."""

    city: str
    answers: dict[str, Answer]
    revisions: int


class ReplyRepository(Repository[Reply]):
    table = schema.replies
    model = Reply
    what = "reply"

    def columns(self, record: Reply) -> dict[str, Any]:
        return {
            "call": record.call,
            "city": record.city,
            "withdrawn": record.withdrawn,
            "updated_at": record.updated_at,
        }

    def counts_for_open_calls(self) -> dict[str, int]:
        """How many cities have answered each open call (withdrawn answers left out)."""
        t, calls = self.table, schema.calls
        rows = self.connection.execute(
            select(calls.c.id, func.count(t.c.city))
            .select_from(calls.outerjoin(t, (t.c.call == calls.c.id) & t.c.withdrawn.is_(False)))
            .where(calls.c.state == CallState.OPEN.value)
            .group_by(calls.c.id)
        )
        return {row[0]: int(row[1]) for row in rows}

    def briefly(self, call: str) -> list[Brief]:
        """The current answers of every city that answered `call` (withdrawn left out), with
        how many earlier versions each keeps: what a page of 400 cities shows, without reading
        every reply's history (10,000 revisions are most of the bytes)."""
        t = self.table
        if self.connection.dialect.name == "postgresql":
            revisions = func.jsonb_array_length(t.c.data["history"])
        else:
            revisions = func.json_array_length(t.c.data, "$.history")
        rows = self.connection.execute(
            select(t.c.city, t.c.data["answers"], revisions).where(
                t.c.call == call, t.c.withdrawn.is_(False)
            )
        )
        return [Brief(row[0], dict(row[1] or {}), int(row[2] or 0)) for row in rows]

    def for_call(self, call: str, *, include_withdrawn: bool = False) -> list[Reply]:
        where = [self.table.c.call == call]
        if not include_withdrawn:
            where.append(self.table.c.withdrawn.is_(False))
        return self._select(*where)


class UnlinkedReplyRepository(Repository[UnlinkedReply]):
    table = schema.unlinked_replies
    model = UnlinkedReply
    what = "unlinked reply"

    def columns(self, record: UnlinkedReply) -> dict[str, Any]:
        return {
            "call": record.call,
            "platform": record.platform,
            "author": record.author,
            "received_at": record.received_at,
        }

    def for_call(self, call: str) -> list[UnlinkedReply]:
        return self._select(self.table.c.call == call)

    def by_author(self, platform: str, author: str) -> list[UnlinkedReply]:
        return self._select(self.table.c.platform == platform, self.table.c.author == author)


class ReplySources:
    """Which chat event carried which city's reply, so edits and deletions find it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, platform: str, event_id: str, call: str, city: str) -> None:
        statement = insert_for(self.connection, schema.reply_sources)
        self.connection.execute(
            statement.on_conflict_do_nothing(index_elements=["platform", "event_id"]),
            {"platform": platform, "event_id": event_id, "call": call, "city": city},
        )

    def find(self, platform: str, event_id: str) -> tuple[str, str] | None:
        t = schema.reply_sources
        row = self.connection.execute(
            select(t.c.call, t.c.city).where(t.c.platform == platform, t.c.event_id == event_id)
        ).first()
        return (str(row.call), str(row.city)) if row else None
