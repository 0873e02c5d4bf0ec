"""End-to-end encrypted rooms on the real Synapse: the focal points are matrix-nio clients with
encryption on (vodozemac), in rooms encrypted from their creation, as Element makes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    MegolmEvent,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomSendResponse,
    RoomVisibility,
)
from uccn_bot.matrix.crypto import exchange_keys

from tests.bot.conftest import World
from tests.bot.test_matrix_calls import send, thread
from tests.waiting import eventually, until
from uccn_sdk.calls.service import Calls
from uccn_sdk.models import Audience, Call, Question

pytestmark = pytest.mark.asyncio

MEGOLM = {"algorithm": "m.megolm.v1.aes-sha2"}


async def encrypting_client(world: World, city: str, language: str = "en") -> AsyncClient:
    """A focal point of `city` whose client encrypts, with its keys in a folder of its own."""
    user = world.synapse.register(f"e2e-{city}-{uuid.uuid4().hex[:6]}")
    keys = world.folder / f"keys-{city}"
    keys.mkdir()
    client = AsyncClient(
        world.synapse.url,
        user.user_id,
        device_id=user.device_id,
        store_path=str(keys),
        config=AsyncClientConfig(store_sync_tokens=True, encryption_enabled=True),
    )
    client.restore_login(user.user_id, user.device_id, user.access_token)
    assert client.olm is not None
    await client.keys_upload()
    world.link(city, user, client, language)
    return client


async def encrypted_room(world: World, name: str, members: list[AsyncClient]) -> str:
    created = await world.secretariat_client.room_create(
        visibility=RoomVisibility.private,
        name=name,
        invite=[world.bot_user.user_id, *(m.user_id for m in members)],
        initial_state=[{"type": "m.room.encryption", "state_key": "", "content": MEGOLM}],
    )
    assert isinstance(created, RoomCreateResponse), created
    for member in members:
        await member.join(created.room_id)
    return str(created.room_id)


async def catch_up(client: AsyncClient) -> None:
    """A client's sync, with the key exchanges its sync loop would make."""
    await client.sync(timeout=0, full_state=True)
    await exchange_keys(client)


async def said_by_bot(client: AsyncClient, room: str, bot: str) -> list[dict[str, Any]]:
    """The bot's messages in `room` as `client` reads them, each with whether it came encrypted
    ('encrypted') and whether the client could read it (a 'body')."""
    await catch_up(client)
    response = await client.room_messages(room, start="", limit=100)
    assert isinstance(response, RoomMessagesResponse), response
    found = []
    for event in reversed(response.chunk):
        if event.sender != bot or "state_key" in event.source:
            continue  # not the bot's, or its joining the room
        content = event.source.get("content", {}) if not isinstance(event, MegolmEvent) else {}
        found.append(
            {
                "encrypted": bool(getattr(event, "decrypted", False))
                or isinstance(event, MegolmEvent),
                "body": content.get("body"),
                "event_id": event.event_id,
                "thread": content.get("m.relates_to", {}).get("event_id"),
            }
        )
    return found


async def say(client: AsyncClient, room: str, content: dict[str, Any]) -> str:
    """Send encrypted, to every device of the room (Element's default: unverified ones too)."""
    await catch_up(client)
    response = await client.room_send(
        room, "m.room.message", content, ignore_unverified_devices=True
    )
    assert isinstance(response, RoomSendResponse), response
    return str(response.event_id)


def stored(world: World) -> dict[str, Any]:
    with world.store.begin() as tx:
        return {r.city: r.answers for r in tx.replies.for_call("survey")}


def open_survey(world: World, bot: Any, cities: list[str]) -> None:
    Calls.of(bot.runtime).create(
        Call(
            id="survey",
            title="Annual survey",
            text="How many events this year?",
            questions=[Question(id="q1", prompt="Events?", kind="number")],
            audience=Audience(cities=cities),
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
    )
    Calls.of(bot.runtime).open("survey")


async def test_encrypted_answers_are_read_and_answered_encrypted_across_a_restart(
    world: World,
) -> None:
    lyon = await encrypting_client(world, "lyon", language="fr")
    bologna = await encrypting_client(world, "bologna")
    room = await encrypted_room(world, "Creative cities", [lyon, bologna])
    world.rooms["city:lyon"] = world.rooms["city:bologna"] = room
    bot = await world.start_bot()
    connector: Any = bot.connectors["matrix"]
    await until(lambda: room in connector.client.rooms and connector.client.rooms[room].encrypted)

    open_survey(world, bot, ["lyon", "bologna"])
    me = world.bot_user.user_id

    async def posts() -> list[dict[str, Any]] | None:
        said = await said_by_bot(lyon, room, me)
        found = [m for m in said if m["thread"] is None and m["body"]]  # once its key came
        return found or None

    (post,) = await eventually(posts, timeout=60)  # one room stands for both cities
    assert post["encrypted"]  # sent encrypted, and Lyon can read it
    assert "How many events this year?" in str(post["body"])
    root = post["event_id"]

    await say(lyon, room, thread(root, "1. 12"))
    await until(lambda: stored(world).get("lyon") == {"q1": 12.0}, timeout=60)

    async def acknowledged() -> dict[str, Any] | None:
        said = await said_by_bot(lyon, room, me)
        found = [m for m in said if m["thread"] == root and m["body"]]
        return found[0] if found else None

    ack = await eventually(acknowledged, timeout=60)
    assert ack["encrypted"] and "Lyon" in str(ack["body"])  # in French, and readable

    await world.kill_bot()  # the keys stay in the bot's store
    await world.start_bot()
    await say(bologna, room, thread(root, "1. 7"))
    await until(lambda: stored(world).get("bologna") == {"q1": 7.0}, timeout=60)
    assert stored(world) == {"lyon": {"q1": 12.0}, "bologna": {"q1": 7.0}}
    with world.store.begin() as tx:
        replies = tx.replies.for_call("survey")
    assert all(r.history == [] for r in replies)  # each stored once


async def test_a_message_the_bot_cannot_read_is_logged_and_its_sender_told_once(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    reader = await encrypting_client(world, "bologna")
    sender = await world.focal_point("lyon", language="fr")  # a client without its keys
    room = await encrypted_room(world, "Locked", [reader, sender])
    world.rooms["city:lyon"] = world.rooms["city:bologna"] = room
    bot = await world.start_bot()
    connector: Any = bot.connectors["matrix"]
    await until(lambda: room in connector.client.rooms)

    locked = {
        "algorithm": MEGOLM["algorithm"],
        "sender_key": "c2VuZGVyIGtleSBub3QgZ2l2ZW4gdG8gdGhlIGJvdA",
        "session_id": "a-session-the-bot-never-got",
        "device_id": "LOSTDEVICE",
        "ciphertext": "bm90IGZvciB0aGUgYm90",
    }
    for _ in range(2):
        await send(sender, room, locked, kind="m.room.encrypted")
    me = world.bot_user.user_id

    async def told() -> list[dict[str, Any]] | None:
        found = [m for m in await said_by_bot(reader, room, me) if m["body"]]
        return found or None

    (notice,) = await eventually(told, timeout=60)
    assert notice["encrypted"]
    assert str(notice["body"]).startswith("Je n’ai pas pu lire votre message")
    assert sender.user_id in str(notice["body"])
    warnings = [r.getMessage() for r in caplog.records if "could not read" in r.getMessage()]
    assert len(warnings) == 2 and all(sender.user_id in w and room in w for w in warnings)


async def test_the_keys_folder_is_private(tmp_path: Path) -> None:
    from uccn_bot.matrix.crypto import key_store_lock

    folder = tmp_path / "keys"
    first = key_store_lock(folder, "@bot:uccn.test", "UCCNBOT")
    second = key_store_lock(folder, "@bot:uccn.test", "UCCNBOT")
    assert first.try_acquire() and not second.try_acquire()  # one process at a time
    assert folder.stat().st_mode & 0o777 == 0o700
    first.release()
    assert second.try_acquire()
    second.release()


async def test_a_failed_login_leaves_the_keys_free_for_the_next_try(world: World) -> None:
    from uccn_sdk.errors import UccnError

    refused = world.connector(password="not-the-password")
    with pytest.raises(UccnError, match="login"):
        await refused.connect()
    assert refused.keys_lock is None
    await refused.client.close()
    again = world.connector()  # the same keys, as a connect tried again uses them
    await again.connect()
    assert again.keys_lock is not None
    await again.disconnect()
