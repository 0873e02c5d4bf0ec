"""A one-choice call as a Matrix poll (MSC3381) on the real Synapse: votes from two focal
points, a changed vote, the poll ended with the call, a vote after the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from nio import AsyncClient, RoomMessagesResponse

from tests.bot.conftest import World
from tests.bot.test_matrix_calls import post_of, send
from tests.waiting import eventually, until
from uccn_sdk.calls.service import Calls
from uccn_sdk.models import Audience, Call, Question

pytestmark = pytest.mark.asyncio

START = "org.matrix.msc3381.poll.start"
RESPONSE = "org.matrix.msc3381.poll.response"
END = "org.matrix.msc3381.poll.end"


def vote(poll: str, *choices: str) -> dict[str, Any]:
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll},
        RESPONSE: {"answers": list(choices)},
    }


async def events(client: AsyncClient, room: str, kind: str) -> list[dict[str, Any]]:
    response = await client.room_messages(room, start="", limit=200)
    assert isinstance(response, RoomMessagesResponse), response
    return [e.source for e in reversed(response.chunk) if e.source.get("type") == kind]


def answers(world: World) -> dict[str, Any]:
    with world.store.begin() as tx:
        return {r.city: (r.answers, len(r.history)) for r in tx.replies.for_call("meeting")}


async def test_votes_answer_a_one_choice_call_and_closing_it_ends_the_poll(world: World) -> None:
    lyon = await world.focal_point("lyon")
    bologna = await world.focal_point("bologna")
    room = await world.room("Meeting", [lyon, bologna])
    world.rooms["city:lyon"] = world.rooms["city:bologna"] = room
    bot = await world.start_bot()
    await until(lambda: room in bot.connectors["matrix"].client.rooms)  # type: ignore[attr-defined]
    calls = Calls.of(bot.runtime)
    calls.create(
        Call(
            id="meeting",
            title="Annual meeting",
            text="Will your city come to Braga?",
            questions=[Question(id="q1", prompt="Coming?", kind="choice", choices=["yes", "no"])],
            audience=Audience(cities=["lyon", "bologna"]),
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
    )
    calls.open("meeting")
    bot.wake()
    poll = await until(lambda: post_of(world, "meeting", room))
    (started,) = await events(lyon, room, START)
    assert started["event_id"] == poll
    content = started["content"]
    assert content[START]["question"]["body"] == "Annual meeting: Coming?"
    assert [a["org.matrix.msc1767.text"] for a in content[START]["answers"]] == ["yes", "no"]
    assert "Will your city come to Braga?" in content["org.matrix.msc1767.text"]  # fallback

    ids = [a["id"] for a in content[START]["answers"]]
    await send(lyon, room, vote(poll, ids[0]), kind=RESPONSE)
    await send(bologna, room, vote(poll, ids[1]), kind=RESPONSE)
    await until(
        lambda: answers(world) == {"lyon": ({"q1": "yes"}, 0), "bologna": ({"q1": "no"}, 0)}
    )
    await send(lyon, room, vote(poll, ids[1]), kind=RESPONSE)  # Lyon changes its mind
    await until(lambda: answers(world)["lyon"] == ({"q1": "no"}, 1))

    async def acknowledged() -> list[str]:
        found = await events(lyon, room, "m.room.message")
        return [str(e["content"]["body"]) for e in found if "Vote again" in e["content"]["body"]]

    assert len(await eventually(lambda: _at_least(acknowledged(), 3))) == 3

    calls.close("meeting")
    bot.wake()
    (ended,) = await eventually(lambda: events(lyon, room, END))
    assert ended["content"]["m.relates_to"] == {"rel_type": "m.reference", "event_id": poll}
    await send(bologna, room, vote(poll, ids[0]), kind=RESPONSE)  # after the end
    await eventually(lambda: _closed_said(bologna, room))
    assert answers(world) == {"lyon": ({"q1": "no"}, 1), "bologna": ({"q1": "no"}, 0)}


async def _at_least(found: Any, count: int) -> list[str] | None:
    values: list[str] = await found
    return values if len(values) >= count else None


async def _closed_said(client: AsyncClient, room: str) -> bool:
    found = await events(client, room, "m.room.message")
    return sum("no longer accepted" in str(e["content"]["body"]) for e in found) >= 1
