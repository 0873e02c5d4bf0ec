"""A focal point answers a round's follow-up with "yes" or "no" in their introduction's thread."""

from __future__ import annotations

from uccn_sdk.chat.events import OutboundReaction
from uccn_sdk.matching.rounds import Rounds
from uccn_sdk.testing import TestBot


def introduced(bot: TestBot, city: str) -> tuple[str, str, list[str]]:
    """The room and event id of the introduction of `city`'s group, and the group's cities."""
    network = bot.network
    found = Rounds(network.matching).get("r1")
    with network.store.begin() as tx:
        for number, group in enumerate(found.groups, start=1):
            if city in group.cities:
                # In the group's shared room, else in the city's own room.
                intro = tx.outbox.by_key(f"round:r1:test:{number}") or tx.outbox.by_key(
                    f"round:r1:test:{number}:{city}"
                )
                assert intro is not None and intro.event_id is not None
                return intro.room, intro.event_id, group.cities
    raise AssertionError(f"{city} is in no group")


def met(bot: TestBot, city: str) -> bool | None:
    group = Rounds(bot.network.matching).get("r1").group_of(city)
    assert group is not None
    return group.met


def test_yes_in_the_thread_records_the_meeting_and_other_talk_is_left_alone(
    uccn_bot: TestBot,
) -> None:
    answer = uccn_bot.say("@secretariat", "!uccn round new r1 audience=everyone")
    assert any("r1" in text for text in answer), answer
    room, intro, cities = introduced(uccn_bot, "popayan")
    assert uccn_bot.say("@popayan", "Looking forward to it", room=room, thread=intro) == []
    assert met(uccn_bot, "popayan") is None
    before = len(uccn_bot.sent)
    uccn_bot.say("@popayan", "Oui !", room=room, thread=intro)
    assert met(uccn_bot, "popayan") is True
    (ack,) = uccn_bot.sent[before:]
    assert isinstance(ack, OutboundReaction) and ack.key == "✅"
    # Someone whose city is not in that group cannot answer for it.
    outsider = next(c for c in ("lyon", "bologna", "dakar", "chengdu") if c not in cities)
    uccn_bot.say(f"@{outsider}", "no", room=room, thread=intro)
    assert met(uccn_bot, "popayan") is True
    # A partner may say otherwise: the last answer counts.
    partner = next(c for c in cities if c != "popayan")
    uccn_bot.say(f"@{partner}", "No.", room=room, thread=intro)
    assert met(uccn_bot, "popayan") is False
