"""The bot's messages: every one extracted from the code has a French translation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from uccn_sdk.commands import Command
from uccn_sdk.messages import _catalog, languages, translate
from uccn_sdk.plugins import Plugins
from uccn_sdk.testing import TestBot

SOURCE = Path(__file__).resolve().parents[1] / "src" / "uccn_sdk"


WEB = SOURCE.parents[1] / "web" / "src" / "uccn_web"
"""The web console speaks from the same catalogs: its code and its templates."""


def extracted() -> set[str]:
    messages = set()
    for path in [*SOURCE.rglob("*.py"), *WEB.rglob("*.py")]:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": (2,), "N_": None}
        ):
            messages.add(message)
    for path in WEB.rglob("*.html"):
        for _line, message, _comments, _context in extract_from_file(
            "jinja2.ext:babel_extract", str(path), keywords={"_": None}
        ):
            messages.add(message if isinstance(message, str) else message[0])
    return messages


def test_messages_are_found_in_the_code() -> None:
    assert len(extracted()) >= 15


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_every_message_is_translated(language: str) -> None:
    missing = sorted(extracted() - _catalog(language).keys())
    assert missing == [], f"{language} lacks translations for {missing}"


def test_translations_keep_their_placeholders() -> None:
    for message, text in _catalog("fr").items():
        values = {name: 1 for name in _placeholders(message)}
        assert _placeholders(text) == _placeholders(message), message
        text.format(**values)


def test_an_unknown_language_falls_back_to_english() -> None:
    assert translate("xx", "By field") == "By field"
    assert translate("fr-BE", "By field") == "Par domaine"


def _placeholders(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Portuguese:
    """A plugin that adds Portuguese to one of uccn's messages and to its own."""

    def uccn_register_templates(self, register):  # type: ignore[no-untyped-def]
        register(
            {
                "name": "secretariat-only",
                "texts": {
                    "en": "Only the Secretariat can use “{command}”.",
                    "pt": "Só o Secretariado pode usar “{command}”.",
                },
            }
        )
        register({"name": "weather", "texts": {"en": "Sunny in {city}", "pt": "Sol em {city}"}})

    def uccn_register_commands(self, register):  # type: ignore[no-untyped-def]
        async def weather(context, arguments: str) -> str:  # type: ignore[no-untyped-def]
            return translate(context.language, "Sunny in {city}", city=arguments)

        register(Command("weather", "CITY", "Today's weather", weather))


def test_a_plugin_adds_a_language_to_uccns_messages_and_its_own(
    uccn_bot: TestBot, uccn_plugin
) -> None:  # type: ignore[no-untyped-def]
    network = uccn_bot.network
    with network.store.begin() as tx:
        point = network.focal_point("popayan")
        tx.focal_points.put(point.model_copy(update={"language": "pt-BR"}))
    uccn_plugin(Portuguese(), "portuguese")
    assert uccn_bot.say("@popayan", "!uccn call close x") == [
        "Só o Secretariado pode usar “call close”."
    ]
    assert uccn_bot.say("@popayan", "!uccn weather Popayán") == ["Sol em Popayán"]
    # uccn's own French comes first, and English stays the fallback.
    assert uccn_bot.say("@lyon", "!uccn call close x") == [
        "Seul le Secrétariat peut utiliser « call close »."
    ]
    assert uccn_bot.say("@bologna", "!uccn weather Bologna") == ["Sunny in Bologna"]


def test_a_translation_with_other_placeholders_is_left_out_and_named() -> None:
    class Broken:
        def uccn_register_templates(self, register):  # type: ignore[no-untyped-def]
            register({"name": "weather", "texts": {"en": "Sunny in {city}", "pt": "Sol {em}"}})

    plugins = Plugins.load(allow=[], extra=[("broken", Broken())])
    assert plugins.translations() == {}
    assert [str(p) for p in plugins.problems] == [
        "plugin 'broken': template 'weather' in pt fills in em, which its English text does "
        "not; left out"
    ]


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_no_translation_is_left_of_a_message_the_code_no_longer_says(language: str) -> None:
    assert sorted(_catalog(language).keys() - extracted()) == []


# Where the errors a chat user reads are raised: the services and models behind the bot's
# commands (the command line, English only, has its own modules under cli/).
CHAT_SIDE = [
    *(SOURCE / part for part in ("calls", "matching", "announcements", "people", "models")),
    *(SOURCE / name for name in ("commands.py", "arguments.py", "audience.py", "exports.py")),
]
BUILT_IN = {
    "ValueError",
    "TypeError",
    "KeyError",
    "AttributeError",
    "RuntimeError",
    "NotImplementedError",
}


def _raised_as_written(path: Path) -> list[str]:
    """The errors `path` raises with a message written in place (an f-string or a bare
    literal) rather than marked with N_ for translation."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        call = node.exc
        name = getattr(call.func, "id", getattr(call.func, "attr", ""))
        written = call.args and isinstance(call.args[0], ast.JoinedStr | ast.Constant)
        in_model = path.parent.name == "models" and name in BUILT_IN  # a validator: Invalid
        if written and (name not in BUILT_IN or in_model):
            found.append(f"{path.relative_to(SOURCE)}:{node.lineno} {name}")
    return found


def test_every_error_a_chat_user_reads_is_marked_for_translation() -> None:
    paths = [p for part in CHAT_SIDE for p in ([part] if part.is_file() else part.rglob("*.py"))]
    written = [
        place for path in paths if "cli" not in path.parts for place in _raised_as_written(path)
    ]
    assert written == []
