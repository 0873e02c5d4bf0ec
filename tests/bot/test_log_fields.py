"""A log line written while an event is handled or a post is sent says which, as fields of the
JSON line: platform, room, event id or post key, call or announcement."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from uccn_bot.logs import JSON_FIELDS, RENAMED

from tests.runtime.test_event_hooks import open_call
from uccn_sdk import hookimpl
from uccn_sdk.chat.events import Event, Outbound, OutboundMessage
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.runtime.context_log import AboutFilter
from uccn_sdk.testing import TestBot
from uccn_sdk.testing.network import RecordingConnector


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    from pythonjsonlogger.json import JsonFormatter

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter(JSON_FIELDS, style="{", rename_fields=RENAMED))
    handler.addFilter(AboutFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield out
    root.removeHandler(handler)


def records(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_line_logged_while_an_event_is_handled_names_it(
    uccn_bot: TestBot, lines: io.StringIO
) -> None:
    class Noisy:
        def uccn_handle_event(self, event: Event, runtime: Runtime) -> None:
            logging.getLogger("my-plugin").warning("looked at it")

    uccn_bot.network.register(Noisy(), "noisy")
    event = uccn_bot.network.message("@lyon", "hello", room="#lyon")

    async def scenario() -> None:
        await uccn_bot.bot.on_event(event)
        await uccn_bot.bot.drain()

    asyncio.run(scenario())
    (said,) = [r for r in records(lines) if r["message"] == "looked at it"]
    assert said["platform"] == "test" and said["room"] == "#lyon"
    assert said["event"] == event.event_id
    assert not [r for r in records(lines) if r["message"] != "looked at it" and "event" in r]


class Failing(RecordingConnector):
    async def send(self, message: Outbound, key: str, **kwargs: object) -> str:
        raise ConnectionError("502 Bad Gateway")


def test_a_line_about_a_post_names_it_and_its_call(uccn_bot: TestBot, lines: io.StringIO) -> None:
    uccn_bot.connector = Failing()
    with uccn_bot.network.store.begin() as tx:
        tx.outbox.enqueue(
            "call:survey:test:#lyon",
            "test",
            OutboundMessage(room="#lyon", text="The call"),
            kind="call",
            call="survey",
        )
    asyncio.run(uccn_bot.bot.flush())
    (said,) = [r for r in records(lines) if str(r["message"]).startswith("sending ")]
    assert said["post"] == "call:survey:test:#lyon" and said["call"] == "survey"
    assert said["room"] == "#lyon" and said["platform"] == "test"


def test_the_lines_of_a_replys_handling_name_its_call(
    uccn_bot: TestBot, lines: io.StringIO
) -> None:
    """A reply parser reads an answer in words and a hook hears it was stored: both while the reply
    is handled, and both lines say which call (before, only the acknowledgement's did)."""

    class Reader:
        name = "noisy-reader"

        def parse(self, text: str, questions: object) -> dict[str, object]:
            logging.getLogger("my-parser").warning("reading an answer")
            return {"q1": 12}

    class Listening:
        @hookimpl(tryfirst=True)
        def uccn_register_reply_parsers(self, register: Callable[[object], None]) -> None:
            register(Reader())

        def uccn_reply_received(self, call: object, reply: object) -> None:
            logging.getLogger("my-plugin").warning("an answer came")

    uccn_bot.network.register(Listening(), "listening")
    answer = uccn_bot.network.message("@lyon", "a dozen", thread=open_call(uccn_bot))

    async def scenario() -> None:
        await uccn_bot.bot.on_event(answer)
        await uccn_bot.bot.drain()

    asyncio.run(scenario())
    said = {str(r["message"]): r for r in records(lines)}
    assert said["reading an answer"]["call"] == "survey"
    assert said["an answer came"]["call"] == "survey"
    assert said["an answer came"]["room"] == "#lyon"
