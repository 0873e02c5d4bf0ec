"""No ghosts from history: a bot on a fresh store (a new deployment, a move to PostgreSQL) or
newly invited to a room reads what was said before it came, and acts on none of it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient

from tests.bot.conftest import World
from tests.bot.test_matrix_calls import bot_messages, send
from tests.waiting import eventually, until
from uccn_sdk.store import Store

pytestmark = pytest.mark.asyncio


def said(text: str) -> dict[str, Any]:
    return {"msgtype": "m.text", "body": text}


async def answers(client: AsyncClient, room: str, bot: str) -> list[str]:
    """What the bot wrote in `room` (not its reactions)."""
    found = await bot_messages(client, room, bot)
    return [str(m["content"]["body"]) for m in found if m.get("type") == "m.room.message"]


async def test_a_fresh_store_acts_on_nothing_said_before_the_bot_started(
    world: World, tmp_path: Path
) -> None:
    boss = world.secretariat_client
    room = await world.room("Office", [])
    world.rooms["secretariat"] = room
    bot = await world.start_bot()
    await until(lambda: room in bot.connectors["matrix"].client.rooms)  # type: ignore[attr-defined]
    await world.kill_bot()

    # While the bot is away, the Secretariat gives commands in the room...
    await send(boss, room, said("!uccn help"))
    await send(boss, room, said("!uccn calls"))
    # ...and the bot comes back on a new, empty store: the old commands are history.
    world.store.close()
    world.store = Store.open(f"sqlite:///{tmp_path / 'moved.db'}")
    from uccn_sdk.directory.service import sync_sources

    sync_sources(world.store, world.plugins.city_sources())
    bot = await world.start_bot()
    await until(lambda: bot.ready.is_set())
    await asyncio.sleep(2)  # a few syncs: time enough to run them, were they run
    me = world.bot_user.user_id
    assert await answers(boss, room, me) == []

    await send(boss, room, said("!uccn help"))  # said now: answered, once
    (answer,) = await eventually(lambda: answers(boss, room, me), timeout=30)
    assert "calls" in answer
    world.store.close()


async def test_a_room_joined_later_brings_no_old_command_back(world: World) -> None:
    boss = world.secretariat_client
    bot = await world.start_bot()
    await until(lambda: bot.ready.is_set())
    # A room with commands in it, to which the bot is invited only now.
    from nio import RoomCreateResponse, RoomVisibility

    created = await boss.room_create(visibility=RoomVisibility.private, name="Old")
    assert isinstance(created, RoomCreateResponse)
    room = str(created.room_id)
    await send(boss, room, said("!uccn help"))
    await send(boss, room, said("!uccn announce list"))
    await boss.room_invite(room, world.bot_user.user_id)
    connector: Any = bot.connectors["matrix"]
    await until(lambda: room in connector.client.rooms)
    await asyncio.sleep(2)
    me = world.bot_user.user_id
    assert await answers(boss, room, me) == []
    await send(boss, room, said("!uccn help"))
    (answer,) = await eventually(lambda: answers(boss, room, me), timeout=30)
    assert "Commands" in answer
