"""One room's backlog never holds up another room's posts: a room the platform slows down, a
room whose sends fail, or a room flooded with notices takes its turn beside the others."""

from __future__ import annotations

import asyncio
from datetime import datetime

from uccn_sdk.chat.events import Outbound, OutboundMessage
from uccn_sdk.testing import TestBot
from uccn_sdk.testing.network import RecordingConnector


def queue(uccn_bot: TestBot, room: str, count: int, prefix: str = "") -> None:
    with uccn_bot.network.store.begin() as tx:
        for n in range(count):
            tx.outbox.enqueue(
                f"{prefix}{room}:{n}",
                "test",
                OutboundMessage(room=room, text=f"{room} {n}"),
                kind="notice",
            )


class SlowRoom(RecordingConnector):
    """The platform holds every post to `#slow` until a post reached `#fast`."""

    def __init__(self) -> None:
        super().__init__()
        self.fast_reached = asyncio.Event()

    async def send(
        self, message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        if message.room == "#slow":
            await self.fast_reached.wait()
        elif message.room == "#fast":
            self.fast_reached.set()
        return await super().send(message, key, retry=retry, since=since)


def test_a_room_the_platform_slows_down_does_not_hold_up_the_others(uccn_bot: TestBot) -> None:
    connector = SlowRoom()
    uccn_bot.connector = connector
    queue(uccn_bot, "#slow", 3)
    queue(uccn_bot, "#fast", 1)

    async def flush() -> int:
        # A guard against a hang, not a measure of time: sent one room after the other,
        # #slow's first post waits for #fast's, which never comes.
        return await asyncio.wait_for(uccn_bot.bot.flush(), timeout=20)

    assert asyncio.run(flush()) == 4
    texts = [m.text for m in connector.sent if isinstance(m, OutboundMessage)]
    assert texts.index("#fast 0") < texts.index("#slow 0")
    assert [t for t in texts if t.startswith("#slow")] == ["#slow 0", "#slow 1", "#slow 2"]


class FailingRoom(RecordingConnector):
    """Every post to `#broken` fails, as a platform's server error does."""

    async def send(
        self, message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        if message.room == "#broken":
            raise ConnectionError("502 Bad Gateway")
        return await super().send(message, key, retry=retry, since=since)


def test_a_room_whose_posts_fail_waits_alone_and_the_others_are_sent(uccn_bot: TestBot) -> None:
    connector = FailingRoom()
    uccn_bot.connector = connector
    queue(uccn_bot, "#broken", 2)
    queue(uccn_bot, "#lyon", 2)
    assert asyncio.run(uccn_bot.bot.flush()) == 2
    assert [m.room for m in connector.sent] == ["#lyon", "#lyon"]
    with uccn_bot.network.store.begin() as tx:
        waiting = tx.outbox.pending("test")
    assert [(r.message.room, r.key) for r in waiting] == [
        ("#broken", "#broken:0"),
        ("#broken", "#broken:1"),
    ]


def test_a_flooded_room_takes_its_turn_beside_the_others(uccn_bot: TestBot) -> None:
    queue(uccn_bot, "#flooded", 200)
    queue(uccn_bot, "#bologna", 1)
    with uccn_bot.network.store.begin() as tx:
        first = tx.outbox.claim("worker", "test", limit=50)
    rooms = [row.message.room for row in first]
    assert "#bologna" in rooms  # not behind the 200 queued before it
    assert rooms.count("#flooded") <= 10
