"""A call's whole story on a real Synapse: post, thread replies, edits, reactions, redactions."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from nio import AsyncClient, RoomMessagesResponse, RoomSendResponse, SyncResponse

from tests.bot.conftest import World
from tests.waiting import eventually, until
from uccn_sdk.calls.service import Calls
from uccn_sdk.chat import OutboundMessage
from uccn_sdk.models import Audience, Call, Question

pytestmark = pytest.mark.asyncio


def thread(root: str, body: str) -> dict[str, Any]:
    return {
        "msgtype": "m.text",
        "body": body,
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": root,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": root},
        },
    }


async def send(
    client: AsyncClient, room: str, content: dict[str, Any], kind: str = "m.room.message"
) -> str:
    response = await client.room_send(room, kind, content)
    assert isinstance(response, RoomSendResponse), response
    return str(response.event_id)


async def bot_messages(client: AsyncClient, room: str, bot: str) -> list[dict[str, Any]]:
    response = await client.room_messages(room, start="", limit=200)
    assert isinstance(response, RoomMessagesResponse), response
    return [e.source for e in response.chunk if e.source.get("sender") == bot]


def post_of(world: World, call: str, room: str) -> str | None:
    with world.store.begin() as tx:
        rows = [r for r in tx.outbox.for_call(call, "call") if r.room == room and r.event_id]
    return rows[0].event_id if rows else None


def reply_of(world: World, call: str, city: str) -> Any:
    with world.store.begin() as tx:
        return tx.replies.get(call, city)


async def test_a_call_from_post_to_summary(world: World) -> None:
    lyon = await world.focal_point("lyon", language="fr")
    bologna = await world.focal_point("bologna")
    world.rooms["city:lyon"] = await world.room("Lyon", [lyon])
    world.rooms["field:music"] = await world.room("Music", [bologna])
    world.rooms["secretariat"] = await world.room("Secretariat", [])
    bot = await world.start_bot()
    client = bot.connectors["matrix"].client  # type: ignore[attr-defined]
    await until(lambda: set(world.rooms.values()) <= set(client.rooms))

    deadline = datetime.now(UTC) + timedelta(days=7)
    Calls.of(bot.runtime).create(
        Call(
            id="survey",
            title="Annual survey @room",
            text="Tell us about your year.",
            questions=[
                Question(id="q1", prompt="Events?", kind="number"),
                Question(id="q2", prompt="Best project?"),
            ],
            audience=Audience(cities=["lyon", "bologna"]),
            deadline=deadline,
        )
    )
    Calls.of(bot.runtime).open("survey")
    bot.wake()
    lyon_post = await until(lambda: post_of(world, "survey", world.rooms["city:lyon"]))
    music_post = await until(lambda: post_of(world, "survey", world.rooms["field:music"]))

    # A thread reply is stored and acknowledged in the focal point's language.
    first = await send(lyon, world.rooms["city:lyon"], thread(lyon_post, "1. 12\n2. Fête du livre"))
    stored = await until(lambda: reply_of(world, "survey", "lyon"))
    assert stored.answers == {"q1": 12.0, "q2": "Fête du livre"} and stored.verified

    async def lyon_notices() -> list[str]:
        found = await bot_messages(lyon, world.rooms["city:lyon"], world.bot_user.user_id)
        return [e["content"]["body"] for e in found if e["type"] == "m.room.message"]

    async def wait_for_notice(text: str) -> None:
        await eventually(lambda: _contains(lyon_notices(), text))

    await wait_for_notice("Réponse de Lyon enregistrée.")
    assert not any("@room" in body for body in await lyon_notices())

    # The bot is killed and restarted: an edit, then a redaction, still find the right reply.
    await world.kill_bot()
    bot = await world.start_bot()

    # An edit updates the reply and keeps the history.
    await send(
        lyon,
        world.rooms["city:lyon"],
        {
            "msgtype": "m.text",
            "body": "* 1. 13\n2. Fête du livre",
            "m.new_content": {"msgtype": "m.text", "body": "1. 13\n2. Fête du livre"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": first},
        },
    )
    edited = await until(
        lambda: (r := reply_of(world, "survey", "lyon")) and r.answers["q1"] == 13.0 and r
    )
    assert len(edited.history) == 1

    # A bad answer is explained and not stored; someone not linked is told how to link.
    await send(bologna, world.rooms["field:music"], thread(music_post, "1. lots\n2. Jazz"))
    outsider = world.secretariat_client
    await send(outsider, world.rooms["field:music"], thread(music_post, "1. 5\n2. @room hello"))
    await until(lambda: unlinked(world, "survey"))
    assert reply_of(world, "survey", "bologna") is None

    # A redaction withdraws the reply (the bot restarted after it was stored).
    await lyon.room_redact(world.rooms["city:lyon"], first)
    await until(lambda: reply_of(world, "survey", "lyon").withdrawn)

    summary = Calls.of(bot.runtime).close("survey")
    bot.wake()
    assert (len(summary.answered), summary.targets) == (0, 2)
    secretariat_room = world.rooms["secretariat"]

    async def summaries() -> list[str]:
        found = await bot_messages(
            world.secretariat_client, secretariat_room, world.bot_user.user_id
        )
        return [e["content"].get("body", "") for e in found]

    await eventually(lambda: _contains(summaries(), "0 of 2 cities answered"))


async def _contains(texts: Awaitable[list[str]], text: str) -> bool:
    return any(text in body for body in await texts)


def unlinked(world: World, call: str) -> list[Any]:
    with world.store.begin() as tx:
        return tx.unlinked_replies.for_call(call)


async def test_a_mention_notifies_whom_it_names_and_nobody_else(world: World) -> None:
    lyon = await world.focal_point("lyon")
    bologna = await world.focal_point("bologna")
    room = await world.room("Both", [lyon, bologna])
    bot = await world.start_bot()
    connector = bot.connectors["matrix"]
    await until(lambda: room in connector.client.rooms)  # type: ignore[attr-defined]

    # A post naming someone in its text (or "@room") but mentioning nobody pings nobody.
    await connector.send(
        OutboundMessage(room=room, text=f"{bologna.user_id} and @room: the call is open"), "k1"
    )
    assert await highlights(lyon, room) == await highlights(bologna, room) == 0

    # A reminder that mentions Lyon's focal point reaches that person alone.
    await connector.send(
        OutboundMessage(room=room, text="Reminder", mentions=(lyon.user_id,)), "k2"
    )
    assert await highlights(lyon, room) == 1
    assert await highlights(bologna, room) == 0


async def highlights(client: AsyncClient, room: str) -> int:
    """How many of the room's messages notify `client`'s user as a mention, per Synapse."""
    response = await client.sync(timeout=0, full_state=True)
    assert isinstance(response, SyncResponse), response
    return int(response.rooms.join[room].unread_notifications.highlight_count or 0)


async def lyon_answering(world: World) -> tuple[AsyncClient, str, str]:
    """Lyon's focal point in Lyon's room, where the bot posted a one-question call: the focal
    point's client, the room, and the call's post."""
    lyon = await world.focal_point("lyon")
    room = world.rooms["city:lyon"] = await world.room("Lyon", [lyon])
    bot = await world.start_bot()
    client = bot.connectors["matrix"].client  # type: ignore[attr-defined]
    await until(lambda: room in client.rooms)
    Calls.of(bot.runtime).create(
        Call(
            id="survey",
            title="Survey",
            text="Tell us.",
            questions=[Question(id="q1", prompt="Events?", kind="number")],
            audience=Audience(cities=["lyon"]),
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
    )
    Calls.of(bot.runtime).open("survey")
    bot.wake()
    return lyon, room, await until(lambda: post_of(world, "survey", room))


async def test_malformed_events_files_and_other_bots_notices_change_nothing(world: World) -> None:
    lyon, room, post = await lyon_answering(world)
    await send(lyon, room, thread(post, "1. 12"))
    await until(lambda: reply_of(world, "survey", "lyon"))

    # Anyone in a room can send any content: a relation that is not an object, a file in
    # the thread, another bot's notice. None of them stops the bot or replaces the answer.
    await send(lyon, room, {"msgtype": "m.text", "body": "1. 99", "m.relates_to": "nonsense"})
    await send(
        lyon, room, {**thread(post, "programme.pdf"), "msgtype": "m.file", "url": "mxc://x/y"}
    )
    await send(lyon, room, {**thread(post, "1. 77"), "msgtype": "m.notice"})
    await send(lyon, room, thread(post, "1. 13"))
    stored = await until(
        lambda: (r := reply_of(world, "survey", "lyon")) and r.answers["q1"] == 13.0 and r
    )
    assert [revision.text for revision in stored.history] == ["1. 12"]


async def test_a_refused_edit_is_answered_in_the_calls_thread_as_a_reply(world: World) -> None:
    """Issue 23, item 6: the refusal of an edited answer was threaded on the answer, itself in
    the call's thread; Synapse refuses such a post, so the focal point never saw why."""
    lyon, room, post = await lyon_answering(world)
    first = await send(lyon, room, thread(post, "1. 12"))
    await until(lambda: reply_of(world, "survey", "lyon"))
    await send(
        lyon,
        room,
        {
            "msgtype": "m.text",
            "body": "* 1. lots",
            "m.new_content": {"msgtype": "m.text", "body": "1. lots"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": first},
        },
    )

    async def refusal() -> dict[str, Any] | None:
        found = await bot_messages(lyon, room, world.bot_user.user_id)
        said = [e["content"] for e in found if "not recorded" in e["content"].get("body", "")]
        return said[0] if said else None

    content = await eventually(refusal)
    relation = content["m.relates_to"]
    assert relation["rel_type"] == "m.thread" and relation["event_id"] == post
    assert relation["m.in_reply_to"] == {"event_id": first} and not relation["is_falling_back"]
    assert reply_of(world, "survey", "lyon").answers == {"q1": 12.0}  # the answer stands
