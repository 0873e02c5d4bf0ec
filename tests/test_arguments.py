"""A chat command is declared once: the usage line the help shows and the parsing come from the
same declaration, so whatever the help says is what the command reads, and whatever it does not
read is refused with the usage rather than dropped."""

from __future__ import annotations

import re

import pytest

from uccn_sdk.arguments import ArgumentError, Signature, body, flag, option, rest, word
from uccn_sdk.commands import Command
from uccn_sdk.plugins import Plugins
from uccn_sdk.testing import TestBot

SECRETARIAT = "@secretariat"


def test_every_command_of_the_core_is_declared_and_its_help_is_its_declaration() -> None:
    plugins = Plugins.load()
    for registered in plugins.commands().entries.values():
        if registered.plugin not in ("core", "people", "calls", "announcements", "matching"):
            continue
        command = registered.value
        assert isinstance(command, Command) and command.signature is not None, command.name
        assert command.usage == command.signature.usage(), command.name


def test_the_usage_line_shows_words_options_flags_and_choices() -> None:
    signature = Signature(
        (
            word("id"),
            word("format", optional=True, choices=("csv", "md")),
            option("audience", "field:music", required=True),
            option("title", '"…"'),
            flag("cross-field"),
            body(),
        )
    )
    assert signature.usage() == 'ID [csv|md] audience=field:music [title="…"] [cross-field]'
    assert signature.parse('x md audience=city:lyon title="Two words" cross-field\nHello') == {
        "id": "x",
        "format": "md",
        "audience": "city:lyon",
        "title": "Two words",
        "cross-field": True,
        "text": "Hello",
    }
    assert signature.parse("x audience=city:lyon")["format"] is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "ID is missing"),
        ("x y z audience=a", "too many words: z"),
        ("x audience=a tilte=T", "there is no option tilte= here (audience=, title=)"),
        ("x", "audience=field:music is missing"),
        ("x pdf audience=a", "“pdf”: write csv | md"),
        ('x audience="a', "the first line cannot be read"),
    ],
)
def test_what_does_not_fit_the_declaration_is_refused_saying_what(text: str, said: str) -> None:
    signature = Signature(
        (
            word("id"),
            word("format", optional=True, choices=("csv", "md")),
            option("audience", "field:music", required=True),
            option("title", '"…"'),
        )
    )
    with pytest.raises(ArgumentError, match=re.escape(said)):
        signature.parse(text)


def test_a_rest_keeps_the_text_after_the_words_as_written() -> None:
    signature = Signature((word("id"), rest("answers", "1. … 2. …")))
    assert signature.parse("survey\n1. 4\n2. Jazz  and blues") == {
        "id": "survey",
        "answers": "1. 4\n2. Jazz  and blues",
    }
    with pytest.raises(ArgumentError, match=re.escape("1. … 2. … is missing")):
        signature.parse("survey")


def test_a_declaration_that_cannot_be_read_is_refused_when_written() -> None:
    with pytest.raises(ValueError, match="cannot follow an optional one"):
        Signature((word("a", optional=True), word("b")))


def test_a_role_that_is_not_one_is_refused_not_taken_for_main(uccn_bot: TestBot) -> None:
    answer = uccn_bot.say(SECRETARIAT, "!uccn link approve @new lyon alternat")
    assert answer == [
        "That did not work: “alternat”: write main | alternate\n"
        "Write: !uccn link approve USER CITY [main|alternate]"  # in a room, as it works there
    ]
    with uccn_bot.network.store.begin() as tx:
        assert tx.focal_points.by_handle("test", "@new") is None


def test_an_option_misspelt_is_refused_with_the_options_there_are(uccn_bot: TestBot) -> None:
    (answer,) = uccn_bot.say(
        SECRETARIAT, "!uccn call new c1 deadlin=2030-01-01T10:00+00:00 audience=city:lyon title=T"
    )
    assert answer.startswith(
        "That did not work: there is no option deadlin= here "
        "(deadline=, audience=, title=, text=, language=)\nWrite: !uccn call new ID deadline="
    )


def test_help_about_one_command_shows_its_usage(uccn_bot: TestBot) -> None:
    (answer,) = uccn_bot.say(SECRETARIAT, "!uccn help match")
    assert answer.splitlines()[1:] == [
        "• match [CITY] [k=10] [other-fields] [other-regions] [common-language]: "
        "Suggest peer cities for your city, with the reasons.",
        "• match about TEXT: Suggest cities whose work is close to a description.",
        "• match optin: Be suggested to peers again.",
        "• match optout: Leave your city out of suggestions and rounds.",
        "• match project ID [k=10] [other-fields] [other-regions] [common-language]: "
        "Suggest partner cities for a project.",
    ]
