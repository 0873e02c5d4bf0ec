"""The fixtures plugin authors get from `uccn_sdk.testing`, used as a plugin's tests use them.

The pytester runs check what an author sees: the fixtures come with the installed SDK
(the `pytest11` entry point), with nothing to import or configure.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from uccn_sdk.commands import Command
from uccn_sdk.models import Audience, Call, Question
from uccn_sdk.testing import TestBot, TestNetwork

pytest_plugins = ["pytester"]


class Nearby:
    """A scorer for the tests: Dakar fits everyone best."""

    name = "nearby"
    weight = 5.0

    def index(self, network):  # type: ignore[no-untyped-def]
        favourite = np.array([c.id == "dakar" for c in network.cities], dtype=float)

        class Index:
            def applies(self, subject: object) -> bool:
                return True

            def score(self, subjects):  # type: ignore[no-untyped-def]
                return np.tile(favourite, (len(subjects), 1))

            def explain(self, subject: object, candidate: int, score: float) -> str:
                return "a short flight away" if score else ""

        return Index()


class NearbyPlugin:
    def uccn_register_match_scorers(self, register) -> None:  # type: ignore[no-untyped-def]
        register(Nearby())


def test_the_network_has_cities_focal_points_and_rooms(uccn_network: TestNetwork) -> None:
    assert [c.id for c in uccn_network.cities] == [
        "bologna",
        "chengdu",
        "dakar",
        "lyon",
        "popayan",
    ]
    assert uccn_network.focal_point("lyon").handles == {"test": "@lyon"}
    assert uccn_network.config.rooms["test"].cities["dakar"] == "#dakar"


def test_a_registered_scorer_changes_the_suggestions_and_explains_them(
    uccn_network: TestNetwork, uccn_plugin
) -> None:  # type: ignore[no-untyped-def]
    before = uccn_network.matching.match("city", "popayan", k=1).matches[0]
    assert before.other.ref == "chengdu"  # both Gastronomy, the same goals
    uccn_plugin(NearbyPlugin(), "nearby")
    after = uccn_network.matching.match("city", "popayan", k=1).matches[0]
    assert after.other.ref == "dakar"
    assert "a short flight away" in after.explanation()


def test_a_plugin_the_host_refuses_says_why(uccn_network: TestNetwork, uccn_plugin) -> None:  # type: ignore[no-untyped-def]
    class Typo:
        def uccn_register_scorers(self, register) -> None:  # type: ignore[no-untyped-def]
            pass

    with pytest.raises(Exception, match="did you mean uccn_register_match_scorers"):
        uccn_plugin(Typo(), "typo")


def test_the_bot_answers_commands_and_records_what_it_sends(uccn_bot: TestBot) -> None:
    answer = uccn_bot.say("@lyon", "!uccn help")
    assert any("call list" in text for text in answer)
    assert uccn_bot.say("@bologna", "!uccn call close survey") == [
        "Only the Secretariat can use “call close”."
    ]
    # Lyon's focal point reads French.
    assert uccn_bot.say("@lyon", "!uccn call close survey") == [
        "Seul le Secrétariat peut utiliser « call close »."
    ]


def test_a_plugin_command_answers_through_the_bot(uccn_bot: TestBot, uccn_plugin) -> None:  # type: ignore[no-untyped-def]
    async def weather(context, arguments: str) -> str:  # type: ignore[no-untyped-def]
        return f"Sunny in {arguments or 'your city'}"

    class Weather:
        def uccn_register_commands(self, register) -> None:  # type: ignore[no-untyped-def]
            register(Command("weather", "[CITY]", "Today's weather", weather))

    uccn_plugin(Weather(), "weather")
    assert uccn_bot.say("@bologna", "!uccn weather Bologna") == ["Sunny in Bologna"]


def test_a_call_reaches_the_rooms_and_a_thread_reply_is_stored(uccn_bot: TestBot) -> None:
    network = uccn_bot.network
    network.calls.create(
        Call(
            id="survey",
            title="Annual survey",
            text="Tell us about your year.",
            questions=[Question(id="q1", prompt="How many events?", kind="number")],
            audience=Audience(fields=["gastronomy"]),
            deadline=network.now + timedelta(days=7),
        )
    )
    network.calls.open("survey")
    posts = uccn_bot.flush()
    assert sorted(p.room for p in posts) == ["#chengdu", "#popayan"]
    uccn_bot.say("@popayan", "1. 12", thread=uccn_bot.last_post("#popayan"))
    with network.store.begin() as tx:
        (reply,) = tx.replies.for_call("survey")
    assert reply.city == "popayan" and reply.answers == {"q1": 12}


def test_the_fixtures_come_with_the_sdk_and_each_test_starts_with_the_installed_plugins(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        class Fields:
            def uccn_register_fields(self, register):
                from uccn_sdk.models import CreativeField
                register(CreativeField(slug="circus", names={"en": "Circus"}))

        def test_with_the_plugin(uccn_network, uccn_plugin):
            uccn_plugin(Fields(), "circus")
            assert "circus" in uccn_network.plugins.fields().keys()

        def test_after_it(uccn_network):
            assert "circus" not in uccn_network.plugins.fields().keys()
        """
    )
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
