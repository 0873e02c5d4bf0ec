"""A part of the bot that fails (issue 22, finding 2): what can recover is retried with backoff
and logged; what cannot stops the bot with a one-line reason and a non-zero exit, where before
`uccn bot run` ended with status 0 and no word."""

from __future__ import annotations

import asyncio
import logging
import textwrap
from pathlib import Path

import pytest

from tests.test_plugins import install
from uccn_sdk.testing import TestBot


def run_until(bot: TestBot, done: object, seconds: float = 10.0) -> BaseException | None:
    """Run the bot until `done()` or `seconds`; what its run raised, if anything."""

    async def scenario() -> BaseException | None:
        task = asyncio.create_task(bot.bot.run())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not done() and not task.done() and loop.time() < deadline:  # type: ignore[operator]
            await asyncio.sleep(0.05)
        bot.bot.stop()
        try:
            await task
        except Exception as error:
            return error
        return None

    return asyncio.run(scenario())


def test_an_inbox_that_fails_for_a_while_is_retried_and_nothing_is_lost(
    uccn_bot: TestBot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = uccn_bot.bot
    bot.poll = 0.05
    drain, failures = bot.drain, [3]

    async def refusing_then_back() -> int:
        if failures[0]:
            failures[0] -= 1
            raise ConnectionRefusedError("the database refuses connections")
        return await drain()

    monkeypatch.setattr(bot, "drain", refusing_then_back)
    asyncio.run(bot.on_event(uccn_bot.network.message("@lyon", "!uccn help")))
    with caplog.at_level(logging.WARNING, logger="uccn.bot"):
        raised = run_until(uccn_bot, lambda: bool(uccn_bot.sent))
    assert raised is None
    assert [m.room for m in uccn_bot.sent] == ["#lyon"]  # answered once, after the outage
    failed = [r for r in caplog.records if "reading the inbox failed" in r.getMessage()]
    assert len(failed) == 3 and all(r.exc_info for r in failed)  # with the traceback
    assert any(
        "reading the inbox works again after 3 failures" in r.getMessage() for r in caplog.records
    )


def test_a_connector_that_fails_stops_the_bot_with_its_reason(
    uccn_bot: TestBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uccn_sdk.runtime.bot import Stopped

    async def broken(handler: object) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(uccn_bot.connector, "listen", broken)
    raised = run_until(uccn_bot, lambda: False)
    assert isinstance(raised, Stopped)
    assert str(raised) == "the test connector stopped: OSError: [Errno 98] Address already in use"


CONNECTOR = """
    from uccn_sdk.chat.connector import Connector

    class Broken(Connector):
        platform = "broken"

        async def connect(self):
            return None

        async def listen(self, handler):
            raise OSError(98, "Address already in use")

        async def disconnect(self):
            return None

        async def send(self, message, key, *, retry=False, since=None):
            return key

    class Factory:
        platform = "broken"

        def __call__(self, config, state):
            return Broken()

    def uccn_register_connectors(register):
        register(Factory())
"""


def test_uccn_bot_run_exits_non_zero_with_one_line_when_a_connector_fails(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    install(tmp_path, monkeypatch, "uccn-broken-connector", textwrap.dedent(CONNECTOR))
    result = uccn("bot", "run", "--platform", "broken")
    assert result.code == 1
    assert (
        "error: the broken connector stopped: OSError: [Errno 98] Address already in use"
        in result.err
    )
