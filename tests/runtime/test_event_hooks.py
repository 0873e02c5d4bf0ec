"""Events and periodic work reach the features through hooks, the core's own and a plugin's
alike: `uccn_handle_event` (the first that handles an event ends it), `uccn_tick` and
`uccn_runtime_started`. What such a hook raises fails the work, which is tried again: nothing is
marked done that was not."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from uccn_sdk import hookimpl
from uccn_sdk.chat.events import Event, Message
from uccn_sdk.models import Audience, Call, Question
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.testing import TestBot


def open_call(uccn_bot: TestBot) -> str:
    calls = uccn_bot.network.calls
    calls.create(
        Call(
            id="survey",
            title="Survey",
            text="Tell us.",
            questions=[Question(id="q1", prompt="How many?", kind="number")],
            audience=Audience(cities=["lyon"]),
            deadline=uccn_bot.network.now + timedelta(days=14),
        )
    )
    calls.open("survey")
    uccn_bot.flush()
    return uccn_bot.last_post("#lyon")


def answers(uccn_bot: TestBot) -> dict[str, object]:
    with uccn_bot.network.store.begin() as tx:
        return {r.city: r.answers for r in tx.replies.for_call("survey")}


class Counter:
    """A third-party plugin that counts "+1" messages and leaves the rest to others."""

    def __init__(self) -> None:
        self.counted: list[str] = []
        self.ticks = 0
        self.started: list[Runtime] = []

    def uccn_handle_event(self, event: Event, runtime: Runtime) -> bool | None:
        if isinstance(event, Message) and event.text.strip() == "+1":
            self.counted.append(event.event_id)
            return True
        return None

    def uccn_tick(self, runtime: Runtime) -> None:
        self.ticks += 1

    def uccn_runtime_started(self, runtime: Runtime) -> None:
        self.started.append(runtime)


def test_a_plugin_handles_the_events_it_wants_and_leaves_the_others_to_the_features(
    uccn_bot: TestBot,
) -> None:
    counter = Counter()
    uccn_bot.network.register(counter, "counter")
    post = open_call(uccn_bot)
    uccn_bot.say("@lyon", "+1", thread=post)
    uccn_bot.say("@lyon", "1. 7", thread=post)
    assert len(counter.counted) == 1  # its own event, handled by it alone
    assert answers(uccn_bot) == {"lyon": {"q1": 7.0}}  # the calls feature had the other


def test_a_plugin_that_goes_first_wins_the_event_over_the_calls_feature(
    uccn_bot: TestBot,
) -> None:
    class Claims:
        @hookimpl(tryfirst=True)
        def uccn_handle_event(self, event: Event, runtime: Runtime) -> str:
            return "mine"

    uccn_bot.network.register(Claims(), "claims")
    post = open_call(uccn_bot)
    uccn_bot.say("@lyon", "1. 7", thread=post)
    assert answers(uccn_bot) == {}


def test_an_event_a_plugin_fails_on_stays_in_the_inbox_and_is_tried_again(
    uccn_bot: TestBot,
) -> None:
    failures = iter([RuntimeError("the service is down")])
    seen: list[str] = []

    class Flaky:
        def uccn_handle_event(self, event: Event, runtime: Runtime) -> None:
            seen.append(event.event_id)
            for error in failures:
                raise error

    uccn_bot.network.register(Flaky(), "flaky")
    post = open_call(uccn_bot)
    bot = uccn_bot.bot
    bot.lease = timedelta(seconds=-1)  # a failed event may be taken again at once
    event = uccn_bot.network.message("@lyon", "1. 7", thread=post)

    async def scenario() -> None:
        await bot.on_event(event)
        await bot.drain()  # fails, stays in the inbox, is taken again

    asyncio.run(scenario())
    assert seen == [event.event_id, event.event_id]
    assert answers(uccn_bot) == {"lyon": {"q1": 7.0}}
    with uccn_bot.network.store.begin() as tx:
        assert tx.inbox.claim("check", limit=10, lease=timedelta(minutes=1)) == []


def test_the_tick_reaches_every_feature_and_plugin_and_a_failure_fails_it(
    uccn_bot: TestBot,
) -> None:
    counter = Counter()
    uccn_bot.network.register(counter, "counter")
    bot = uccn_bot.bot
    asyncio.run(bot.tick())
    assert counter.ticks == 1

    class Broken:
        def uccn_tick(self, runtime: Runtime) -> None:
            raise RuntimeError("the disk is full")

    uccn_bot.network.register(Broken(), "broken")
    with pytest.raises(RuntimeError, match="the disk is full"):  # not passed for done
        asyncio.run(uccn_bot.bot.tick())


def test_the_calls_feature_closes_a_call_past_its_deadline_on_the_tick(uccn_bot: TestBot) -> None:
    network = uccn_bot.network
    open_call(uccn_bot)
    network.now = network.now + timedelta(days=15)
    asyncio.run(uccn_bot.bot.tick())
    with network.store.begin() as tx:
        closed = tx.calls.get("survey")
    assert closed is not None and closed.state == "closed"


def test_a_plugin_is_told_when_the_runtime_starts_with_its_connectors(uccn_bot: TestBot) -> None:
    counter = Counter()
    uccn_bot.network.register(counter, "counter")
    bot = uccn_bot.bot

    async def run_briefly() -> None:
        running = asyncio.create_task(bot.run())
        while not counter.started and not running.done():
            await asyncio.sleep(0.01)
        bot.stop()
        await running

    asyncio.run(run_briefly())
    assert counter.started == [bot.runtime]
    assert bot.runtime.connectors == (uccn_bot.connector,)
