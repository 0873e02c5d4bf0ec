"""Issue 23, done when: a client as Element is becoming (encrypting, sending only to verified
devices) answers a call, edits, reacts, votes in a poll and withdraws, in an encrypted room on
the real Synapse, and the export shows exactly what it did."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from nio import AsyncClient, RoomMessagesResponse, RoomSendResponse

from tests.bot.conftest import World
from tests.bot.test_matrix_calls import post_of
from tests.bot.test_matrix_encryption import catch_up, thread
from tests.bot.test_matrix_polls import RESPONSE, vote
from tests.bot.test_matrix_signing import cross_signed_devices, lyon_and_the_bot
from tests.waiting import eventually, until
from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.exporters import ReplyJsonExporter
from uccn_sdk.calls.service import Calls
from uccn_sdk.models import Audience, Call, Question

pytestmark = pytest.mark.asyncio


async def careful(client: AsyncClient, room: str, content: dict[str, Any], kind: str) -> str:
    """Send as a client that sends only to verified devices."""
    await catch_up(client)
    response = await client.room_send(room, kind, content, ignore_unverified_devices=False)
    assert isinstance(response, RoomSendResponse), response
    return str(response.event_id)


async def reactions_of_bot(client: AsyncClient, room: str, bot: str) -> list[dict[str, Any]]:
    """The bot's reactions in `room` as `client` reads them: whether they came encrypted, and
    what they relate to."""
    await catch_up(client)
    response = await client.room_messages(room, start="", limit=100)
    assert isinstance(response, RoomMessagesResponse), response
    return [
        {
            "decrypted": bool(getattr(e, "decrypted", False)),
            "relates_to": e.source["content"].get("m.relates_to", {}),
        }
        for e in response.chunk
        if e.sender == bot and e.source.get("type") == "m.reaction"
    ]


def exported(world: World, call_id: str) -> dict[str, Any]:
    out = io.StringIO()
    export = call_export(world.store, call_id)
    assert export is not None
    ReplyJsonExporter().write([export], out)
    (row,) = [r for r in json.loads(out.getvalue())["replies"] if r["city"] == "lyon"]
    return dict(row)


def reply(world: World, call_id: str) -> Any:
    with world.store.begin() as tx:
        return tx.replies.get(call_id, "lyon")


async def test_a_verified_only_client_answers_edits_reacts_votes_and_withdraws(
    world: World,
) -> None:
    lyon, room, bot = await lyon_and_the_bot(world)
    me = world.bot_user.user_id
    await catch_up(lyon)
    for device_id in await cross_signed_devices(lyon, me):  # Lyon verified the bot's account
        lyon.verify_device(lyon.device_store[me][device_id])

    calls = Calls.of(bot.runtime)
    deadline = datetime.now(UTC) + timedelta(days=7)
    calls.create(
        Call(
            id="survey",
            title="Survey",
            text="How many events?",
            questions=[Question(id="q1", prompt="Events?", kind="number")],
            audience=Audience(cities=["lyon"]),
            deadline=deadline,
        )
    )
    calls.create(
        Call(
            id="meeting",
            title="Meeting",
            text="Coming to Braga?",
            questions=[Question(id="q1", prompt="Coming?", kind="choice", choices=["yes", "no"])],
            audience=Audience(cities=["lyon"]),
            deadline=deadline,
        )
    )
    calls.open("survey")
    calls.open("meeting")
    bot.wake()
    survey = await until(lambda: post_of(world, "survey", room))
    meeting = await until(lambda: post_of(world, "meeting", room))

    # Answer, then edit.
    first = await careful(lyon, room, thread(survey, "1. 12"), "m.room.message")
    await until(lambda: reply(world, "survey") is not None)
    edit = {
        "msgtype": "m.text",
        "body": "* 1. 13",
        "m.new_content": {"msgtype": "m.text", "body": "1. 13"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": first},
    }
    await careful(lyon, room, edit, "m.room.message")
    await until(lambda: reply(world, "survey").answers == {"q1": 13.0})
    # The bot's ✅ on the answer comes encrypted too, its relation in the clear.
    (ack,) = await eventually(lambda: reactions_of_bot(lyon, room, me))
    assert ack["decrypted"] and ack["relates_to"]["event_id"] == first

    # React to the poll's post, then vote in it.
    reaction = {"m.relates_to": {"rel_type": "m.annotation", "event_id": meeting, "key": "2️⃣"}}
    await careful(lyon, room, reaction, "m.reaction")
    await until(lambda: (r := reply(world, "meeting")) is not None and r.answers == {"q1": "no"})
    await careful(lyon, room, vote(meeting, "1️⃣"), RESPONSE)
    await until(lambda: reply(world, "meeting").answers == {"q1": "yes"})

    # Withdraw the survey's answer.
    await lyon.room_redact(room, first)
    await until(lambda: reply(world, "survey").withdrawn)

    survey_row, meeting_row = exported(world, "survey"), exported(world, "meeting")
    assert (survey_row["answered"], survey_row["q1"]) == ("no", "")
    assert (meeting_row["answered"], meeting_row["q1"]) == ("yes", "yes")
    assert reply(world, "meeting").history[-1].answers == {"q1": "no"}  # the reaction before
    assert [r.answers for r in reply(world, "survey").history] == [{"q1": 12.0}, {"q1": 13.0}]
