"""The bot's messages: every one extracted from the code has a French translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from uccn_sdk.messages import _catalog, languages, translate

SOURCE = Path(__file__).resolve().parents[1] / "src" / "uccn_sdk"


def extracted() -> set[str]:
    messages = set()
    for path in SOURCE.rglob("*.py"):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": (2,), "N_": None}
        ):
            messages.add(message)
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
