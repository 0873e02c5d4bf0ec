"""Invitations and joins: the bot accepts an invite from the servers or users it is told to,
and a join that fails is tried again until it succeeds.

Homeservers rate-limit joins (a stock Synapse lets an account join a few rooms, then one every
ten seconds): a bot invited to twenty rooms at once would stay out of half of them, since a sync
shows an invite only once. The invites still to join are kept in the connector's state, so a
restart tries them again too; an invite withdrawn, or a room gone, is let go.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from nio import AsyncClient, JoinError, SyncResponse

from uccn_sdk.chat.connector import ConnectorState

log = logging.getLogger("uccn.matrix")

PENDING = "pending_joins"
"""The invites accepted and not joined yet: room id → inviter and whether it is direct."""
DIRECT_PREFIX = "direct:"
"""Where a direct chat is kept, by room id, with the user who opened it."""
JOINED_PREFIX = "joined:"
"""When the bot came into a room, by room id: nothing said there earlier is acted on."""
GIVE_UP = ("M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_ROOM")
"""A join refused so is not tried again: the invite was withdrawn, or the room is gone."""
MAX_WAIT = 300.0


class Joins:
    def __init__(
        self, client: AsyncClient, state: ConnectorState, allowed: Callable[[str], bool]
    ) -> None:
        self.client, self.state, self.allowed = client, state, allowed
        self._next: dict[str, float] = {}  # room → when to try again (monotonic)
        self._failures: dict[str, int] = {}

    async def follow(self, response: SyncResponse) -> None:
        """Accept or decline the invites `response` brings, then join the rooms due."""
        pending = self.pending()
        for room_id, info in response.rooms.invite.items():
            invite = next(
                (
                    e
                    for e in info.invite_state
                    if getattr(e, "state_key", None) == self.client.user_id
                ),
                None,
            )
            inviter = invite.sender if invite is not None else None
            if inviter and self.allowed(inviter):
                # A direct chat is what its invite says it is (the spec's is_direct), not a
                # room that happens to have two members.
                direct = _content(invite).get("is_direct") is True
                pending[room_id] = {"inviter": inviter, "direct": direct}
            elif room_id not in pending:
                log.info("declined an invite to %s from %s", room_id, inviter)
                await self.client.room_leave(room_id)
        self._keep(pending)
        await self.join_due()

    async def join_due(self) -> None:
        pending = self.pending()
        now = time.monotonic()
        for room_id, invite in list(pending.items()):
            if self._next.get(room_id, 0.0) > now:
                continue
            joined = await self.client.join(room_id)
            if isinstance(joined, JoinError):
                if joined.status_code in GIVE_UP:
                    log.warning("cannot join %s: %s; letting it go", room_id, joined.message)
                    del pending[room_id]
                    continue
                failures = self._failures[room_id] = self._failures.get(room_id, 0) + 1
                wait = min(MAX_WAIT, 2.0 ** (failures - 1))
                if joined.retry_after_ms:
                    wait = max(wait, joined.retry_after_ms / 1000)
                self._next[room_id] = now + wait
                log.warning(
                    "could not join %s (%s); trying again in %.0f s", room_id, joined.message, wait
                )
                continue
            del pending[room_id]
            self._next.pop(room_id, None)
            self._failures.pop(room_id, None)
            self.came_in(room_id, datetime.now(UTC))
            if invite.get("direct"):  # kept in the store: a restart or another worker knows it
                self.state.set(DIRECT_PREFIX + room_id, str(invite.get("inviter")))
        self._keep(pending)

    def due_in(self) -> float | None:
        """Seconds until the next join is due, when one is waiting."""
        waiting = [self._next.get(room, 0.0) for room in self.pending()]
        return max(0.0, min(waiting) - time.monotonic()) if waiting else None

    def pending(self) -> dict[str, dict[str, Any]]:
        kept = self.state.get(PENDING)
        return dict(json.loads(kept)) if kept else {}

    def came_in(self, room_id: str, moment: datetime) -> None:
        """Remember when the bot came into `room_id`: what was said there before is history,
        which a first sync or a limited timeline shows it and it must not act on (an old
        `calls open` would run again)."""
        if self.state.get(JOINED_PREFIX + room_id) is None:
            self.state.set(JOINED_PREFIX + room_id, moment.isoformat())

    def came_in_at(self, room_id: str) -> datetime | None:
        moment = self.state.get(JOINED_PREFIX + room_id)
        return datetime.fromisoformat(moment) if moment else None

    def _keep(self, pending: dict[str, dict[str, Any]]) -> None:
        text = json.dumps(pending, sort_keys=True)
        if text != (self.state.get(PENDING) or "{}"):
            self.state.set(PENDING, text)


def _content(event: object) -> dict[str, Any]:
    """The content of a member event of an invite (matrix-nio keeps it beside its source)."""
    content = getattr(event, "content", None)
    return content if isinstance(content, dict) else {}
