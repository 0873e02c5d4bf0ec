"""Answers written to the bot as a command (`reply CALL …`), through the bot's own handling,
and who may answer a call at all."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from uccn_sdk.calls.service import Calls
from uccn_sdk.chat.events import Edit, Event
from uccn_sdk.models import Audience, Call, Question
from uccn_sdk.testing import TestBot


def open_call(bot: TestBot, audience: Audience) -> None:
    network = bot.network
    network.calls.create(
        Call.draft(
            {
                "id": "survey",
                "title": "Survey",
                "text": "Tell us.",
                "questions": [
                    Question(id="q1", prompt="How many events?", kind="number"),
                    Question(id="q2", prompt="Your best project?"),
                ],
                "audience": audience,
                "deadline": network.now + timedelta(days=10),
            }
        )
    )
    network.calls.open("survey")
    bot.flush()


def answers_of(bot: TestBot, city: str) -> dict[str, object] | None:
    with bot.network.store.begin() as tx:
        reply = tx.replies.get("survey", city)
    return dict(reply.answers) if reply else None


def test_a_reply_command_is_stored_once_and_acknowledged(uccn_bot: TestBot) -> None:
    open_call(uccn_bot, Audience(everyone=True))
    # The answers start on the line after the call id.
    answer = uccn_bot.say("@lyon", "!uccn reply survey\n1. 3\n2. Jazz", direct=True)
    assert answers_of(uccn_bot, "lyon") == {"q1": 3.0, "q2": "Jazz"}
    assert answer == ["Réponse de Lyon enregistrée. Modifiez votre message pour la changer."]
    uccn_bot.say("@bologna", "reply survey 1. 7", direct=True)
    assert answers_of(uccn_bot, "bologna") == {"q1": 7.0}


def test_an_edit_of_a_reply_command_updates_the_answers(uccn_bot: TestBot) -> None:
    open_call(uccn_bot, Audience(everyone=True))
    original = uccn_bot.network.message("@bologna", "!uccn reply survey 1. 3\n2. Jazz", direct=True)

    async def scenario() -> None:
        await uccn_bot.bot.handle(original)
        edit = Edit(
            platform=original.platform,
            room=original.room,
            event_id="$edit",
            sender=original.sender,
            target=original.event_id,
            text="!uccn reply survey 1. 4\n2. Jazz and blues",
        )
        await uccn_bot.bot.handle(edit)

    asyncio.run(scenario())
    assert answers_of(uccn_bot, "bologna") == {"q1": 4.0, "q2": "Jazz and blues"}


def test_a_reply_command_that_failed_once_is_stored_when_retried(
    uccn_bot: TestBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_call(uccn_bot, Audience(everyone=True))
    bot = uccn_bot.bot
    bot.lease = timedelta(seconds=-1)  # a failed event may be taken again at once
    calls = Calls
    reply_direct = calls.reply_direct
    failures = iter([RuntimeError("the database went away")])

    def flaky(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        for error in failures:
            raise error
        return reply_direct(self, *args, **kwargs)

    monkeypatch.setattr(calls, "reply_direct", flaky)
    event = uccn_bot.network.message("@lyon", "reply survey 1. 4", direct=True)

    async def scenario(events: list[Event]) -> None:
        for e in events:
            await bot.on_event(e)
        for _ in range(3):
            await bot.drain()
        await bot.flush()

    asyncio.run(scenario([event, event]))  # fails once, then is retried; delivered twice
    assert answers_of(uccn_bot, "lyon") == {"q1": 4.0}
    with bot.store.begin() as tx:
        (reply,) = tx.replies.for_call("survey")
    assert reply.history == []  # stored once, not stored and then replaced by itself


def test_a_city_the_call_is_not_addressed_to_cannot_answer_it(uccn_bot: TestBot) -> None:
    open_call(uccn_bot, Audience(fields=["music"]))  # Bologna only
    answer = uccn_bot.say("@lyon", "reply survey 1. 3", direct=True)
    assert answer == ["L’appel « Survey » ne s’adresse pas à Lyon ; sa réponse n’est pas attendue."]
    assert answers_of(uccn_bot, "lyon") is None
    assert uccn_bot.network.calls.summary("survey").targets == 1
    uccn_bot.say("@bologna", "reply survey 1. 2", direct=True)
    assert answers_of(uccn_bot, "bologna") == {"q1": 2.0}


def test_numbered_answers_written_on_one_line_are_read(uccn_bot: TestBot) -> None:
    """The form the help shows (``reply ID 1. … 2. …``) on one line, as the console sends it."""
    open_call(uccn_bot, Audience(everyone=True))
    answer = uccn_bot.say("@lyon", "reply survey 1. 14 2. La Fête du livre", direct=True)
    assert answers_of(uccn_bot, "lyon") == {"q1": 14.0, "q2": "La Fête du livre"}
    assert answer == ["Réponse de Lyon enregistrée. Modifiez votre message pour la changer."]
    # A number inside an answer is not taken for the next marker.
    uccn_bot.say("@bologna", "reply survey 1) 3 2) Jazz in 3. venues", direct=True)
    assert answers_of(uccn_bot, "bologna") == {"q1": 3.0, "q2": "Jazz in 3. venues"}
