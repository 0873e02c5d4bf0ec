"""Text no database can store, sent from a platform, does not stop the bot (issue 22, finding 1):
a NUL in a reply went into the inbox on PostgreSQL as an error, the listener died with it, and
every restart died on the same event."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from uccn_sdk.chat.events import FormSubmission, Message, Sender
from uccn_sdk.chat.safety import storable
from uccn_sdk.models import Audience, Call, Question
from uccn_sdk.testing import TestBot
from uccn_sdk.testing.network import TestNetwork


@pytest.fixture
def bot(database_url: str, tmp_path: Path) -> TestBot:
    network = TestNetwork.create(tmp_path, database_url)
    network.calls.create(
        Call(
            id="survey",
            title="Festivals",
            text="How many?",
            questions=[Question(id="q1", prompt="How many festivals?", kind="number")],
            audience=Audience(cities=[c.id for c in network.cities]),
            deadline=network.now + timedelta(days=7),
        )
    )
    network.calls.open("survey")
    test_bot = TestBot(network)
    test_bot.flush()
    yield test_bot
    network.close()


@pytest.mark.parametrize(
    ("hostile", "stored"),
    [("1. 5\x00", 5.0), ("1. 5\x00\x00 ", 5.0), ("\x001. 5", 5.0), ("1. 5 \ud800", None)],
    ids=["nul", "nuls", "lead", "half"],
)
def test_a_reply_with_text_no_store_keeps_is_read_and_the_others_still_are(
    bot: TestBot, hostile: str, stored: float | None
) -> None:
    network = bot.network
    first, second = [c.id for c in network.cities][:2]
    hostile_reply = network.message(f"@{first}", hostile, thread=bot.last_post(f"#{first}"))
    good_reply = network.message(f"@{second}", "1. 7", thread=bot.last_post(f"#{second}"))

    async def through_the_inbox() -> None:
        await bot.bot.on_event(hostile_reply)  # before: PostgreSQL refused it here
        await bot.bot.on_event(good_reply)
        assert await bot.bot.drain() == 2
        await bot.bot.flush()

    asyncio.run(through_the_inbox())
    with network.store.begin() as tx:
        replies = {r.city: r for r in tx.replies.for_call("survey")}
    if stored is None:  # not a number: refused with a reason, as any such answer
        assert first not in replies
        assert any("not recorded" in m.text for m in bot.sent if hasattr(m, "text"))
    else:
        assert replies[first].answers == {"q1": stored}
        assert "\x00" not in replies[first].text
    assert replies[second].answers == {"q1": 7.0}


def test_every_text_an_event_carries_is_made_storable() -> None:
    sender = Sender("test", "@lyon\x00", display_name="Ly\ud800on")
    message = Message(
        platform="test", room="#l\x00", event_id="$1\x00", sender=sender, text="a\x00b"
    )
    assert (message.text, message.room, message.event_id) == ("ab", "#l", "$1")
    assert (message.sender.user_id, message.sender.display_name) == ("@lyon", "Ly\ufffdon")
    form = FormSubmission(
        platform="test", room="#l", event_id="$2", sender=sender, call="c", answers={"q1": "4\x00"}
    )
    assert form.answers == {"q1": "4"}
    assert storable("plain") == "plain"
