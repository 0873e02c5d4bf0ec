"""The bot handles events from its inbox: one that keeps failing does not hold up the rest."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from uccn_sdk.chat.events import Event
from uccn_sdk.store.inbox import MAX_ATTEMPTS
from uccn_sdk.testing import TestBot


def test_a_failing_event_is_retried_then_left_and_the_others_are_handled(
    uccn_bot: TestBot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = uccn_bot.bot
    bot.lease = timedelta(seconds=-1)  # a failed event may be taken again at once
    network = uccn_bot.network
    bad = network.message("@lyon", "!uccn help")
    good = network.message("@bologna", "!uccn help")
    handle = bot.handle

    async def flaky(event: Event) -> None:
        if event.event_id == bad.event_id:
            raise RuntimeError("the database went away")
        await handle(event)

    monkeypatch.setattr(bot, "handle", flaky)

    async def scenario() -> None:
        await bot.on_event(bad)
        await bot.on_event(good)
        await bot.on_event(good)  # a redelivery: kept once
        for _ in range(MAX_ATTEMPTS + 2):
            await bot.drain()
        await bot.flush()

    with caplog.at_level(logging.ERROR, logger="uccn.bot"):
        asyncio.run(scenario())
    answered = [m.room for m in uccn_bot.sent]
    assert answered == ["#bologna"]  # the good event, handled once
    gave_up = [r.getMessage() for r in caplog.records if "gave up" in r.getMessage()]
    assert gave_up == [
        f"gave up on test {bad.event_id} after {MAX_ATTEMPTS} attempts; it stays in the inbox "
        "table with its error"
    ]
    failures = [r for r in caplog.records if r.getMessage().startswith("handling test")]
    assert len(failures) == MAX_ATTEMPTS
