"""One call, two platforms: a focal point in Matrix (a real Synapse) and one in Slack (the
emulator, through Bolt) answer the same call; one record, one export, one summary."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from nio import AsyncClient
from uccn_bot.slack.connector import SlackConnector
from uccn_bot.slack.settings import SlackSettings

from tests.bot.conftest import World
from tests.slack.emulator import SlackEmulator
from tests.waiting import until
from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.service import Calls
from uccn_sdk.chat.state import StoredState
from uccn_sdk.config import RoomMap
from uccn_sdk.models import Audience, Call, FocalPoint, Question
from uccn_sdk.runtime.bot import Bot

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[SlackEmulator]:
    emu = SlackEmulator()
    emu.add_user("U1", "Bea")
    emu.add_channel("C1", "bologna")
    emu.add_channel("CSEC", "secretariat")
    await emu.start()
    yield emu
    await emu.stop()
    assert emu.violations == []


def thread(root: str, body: str) -> dict[str, object]:
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


async def test_one_call_answered_from_matrix_and_slack(
    world: World, emulator: SlackEmulator
) -> None:
    lyon: AsyncClient = await world.focal_point("lyon")
    world.rooms["city:lyon"] = await world.room("Lyon", [lyon])
    world.rooms["secretariat"] = await world.room("Secretariat", [])
    with world.store.begin() as tx:
        tx.focal_points.put(
            FocalPoint(id="fp-bologna", city="bologna", name="Bea", handles={"slack": "U1"})
        )
    base = world.config()
    config = base.model_copy(
        update={
            "rooms": {**base.rooms, "slack": RoomMap(cities={"bologna": "C1"}, secretariat="CSEC")}
        }
    )
    slack = SlackConnector(
        SlackSettings.from_config(
            {
                "bot_token": emulator.bot_token,
                "app_token": emulator.app_token,
                "api_url": emulator.api_url,
            }
        ),
        StoredState(world.store, "slack"),
    )
    bot = Bot(world.store, world.plugins, config, [world.connector(), slack], poll=0.2)
    world.bots.append(bot)
    world.tasks.append(asyncio.create_task(bot.run()))
    await emulator.wait_connected()
    client = bot.connectors["matrix"].client  # type: ignore[attr-defined]
    await until(lambda: world.rooms["city:lyon"] in client.rooms)

    Calls.of(bot.runtime).create(
        Call(
            id="survey",
            title="Annual survey",
            text="Tell us about your year.",
            questions=[Question(id="q1", prompt="How many events?", kind="number")],
            audience=Audience(cities=["lyon", "bologna"]),
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
    )
    Calls.of(bot.runtime).open("survey")
    bot.wake()

    def post_in(room: str) -> str | None:
        with world.store.begin() as tx:
            rows = [r for r in tx.outbox.for_call("survey", "call") if r.room == room]
        return rows[0].event_id if rows and rows[0].event_id else None

    matrix_post = await until(lambda: post_in(world.rooms["city:lyon"]))
    slack_post = await until(lambda: post_in("C1"))
    await lyon.room_send(world.rooms["city:lyon"], "m.room.message", thread(matrix_post, "1. 12"))
    ts = slack_post.split("/", 1)[1]
    emulator.deliver("events_api", emulator.message_event("C1", "U1", "1. 7", thread_ts=ts))

    def answered() -> list[str]:
        export = call_export(world.store, "survey")
        return [r.city.id for r in export.rows if r.reply] if export else []

    await until(lambda: sorted(answered()) == ["bologna", "lyon"])
    export = call_export(world.store, "survey")
    out = io.StringIO()
    world.plugins.exporters()["replies:csv"].write([export], out)
    rows = {r["city"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["lyon"]["q1"] == "12" and rows["bologna"]["q1"] == "7"

    summary = Calls.of(bot.runtime).close("survey")
    assert summary.rate == 1.0 and sorted(summary.answered) == ["bologna", "lyon"]
    bot.wake()
    summaries = lambda: [m for m in emulator.messages.get("CSEC", []) if "2 of 2" in m["text"]]  # noqa: E731
    await until(summaries)
