"""Issue 28: whatever the bot tells people to type works as typed, where they read it."""

from __future__ import annotations

from tests.runtime.test_event_hooks import open_call
from uccn_sdk import messages
from uccn_sdk.testing import TestBot


def test_a_stranger_told_how_to_link_in_a_room_can_type_it_there(uccn_bot: TestBot) -> None:
    """The bot said “iam lyon”; typed so in a room it was ignored (only `!uccn iam` works)."""
    post = open_call(uccn_bot)
    (told,) = uccn_bot.say("@stranger", "1. 4", room="#lyon", thread=post)
    assert "Write “!uccn iam CITY” (for example “!uccn iam lyon”)" in told
    answered = uccn_bot.say("@stranger", "!uccn iam lyon", room="#lyon")
    assert "Thank you. The Secretariat will confirm you as a focal point of Lyon." in answered
    (asked,) = [t for t in answered if t.startswith("@stranger asks")]  # to the Secretariat
    assert asked.endswith("To approve: !uccn link approve @stranger lyon")
    command = asked.split("To approve: ")[1]
    approved = "\n".join(uccn_bot.say("@secretariat", command, room="#secretariat"))
    assert "@stranger" in approved and "Lyon" in approved


def test_in_a_direct_chat_the_same_advice_has_no_prefix_and_french_reads_it_too(
    uccn_bot: TestBot,
) -> None:
    (told,) = uccn_bot.say("@stranger", "match", direct=True)
    assert told.endswith("Only a city's focal points can ask this; “iam CITY” links you.")
    (in_room,) = uccn_bot.say("@stranger", "!uccn match", room="#lyon")
    assert "“!uccn iam CITY” links you" in in_room
    french = messages.translate(
        "fr", "Only a city's focal points can ask this; “{prefix}iam CITY” links you.", prefix=""
    )
    assert (
        french
        == "Seuls les points focaux d’une ville peuvent demander cela ; « iam VILLE » vous relie."
    )
