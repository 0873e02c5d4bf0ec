"""Explanations reach a focal point in their language: the scorers' phrases, the names of
fields and languages, lists and numbers; English where nothing is translated."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from uccn_match.translations import catalogs

from tests.matching.conftest import network_of
from uccn_sdk import messages
from uccn_sdk.matching.engine import Matcher
from uccn_sdk.models import City
from uccn_sdk.plugins import Plugins

SCORERS = Path(__file__).resolve().parents[2] / "plugins" / "uccn-match" / "src" / "uccn_match"


@pytest.fixture
def translated(plugins: Plugins) -> Iterator[None]:
    messages.use(plugins.translations())
    yield
    messages.use({})


@pytest.fixture
def named(cities: list[City], plugins: Plugins) -> Matcher:
    """The engine with the fields' names as the directory plugin gives them."""
    return Matcher(network_of(cities, fields=plugins.fields()), list(plugins.match_scorers()))


def parts(matcher: Matcher, city: str, other: str, language: str) -> dict[str, str]:
    subject = matcher.network.profiles[matcher.network.rows[city]]
    found = matcher.match(subject, k=9, language=language).matches
    return {p.scorer: p.explanation for p in next(m for m in found if m.other.ref == other).parts}


def test_a_french_reader_gets_french_reasons(named: Matcher, translated: None) -> None:
    said = parts(named, "parma", "alba", "fr")
    assert said["field"] == "même domaine : Gastronomie"
    assert said["sdgs"] == "ODD communs : 12"
    assert said["hours"] == "les mêmes heures de travail"
    assert said["language"] == "travaillent toutes deux en italien"
    assert said["themes"].startswith("descriptions portant toutes deux sur ")
    assert parts(named, "parma", "dakar", "fr")["hours"] == "7 heures de journée de travail commune"
    goals = parts(named, "jeonju", "parma", "fr")["sdgs"]
    assert goals == "ODD communs : 2 et 12"


def test_english_is_unchanged_and_an_untranslated_language_reads_as_english(
    named: Matcher, translated: None
) -> None:
    english = parts(named, "parma", "alba", "en")
    assert english["field"] == "both Gastronomy"
    assert english["language"] == "both work in Italian"
    # Nothing is translated into Swahili: the whole phrase stays English, names included.
    assert parts(named, "parma", "alba", "sw") == english
    # A regional variant uses its base language.
    assert parts(named, "parma", "alba", "fr-CA")["field"] == "même domaine : Gastronomie"


def test_without_the_translations_plugin_french_falls_back_to_english(
    cities: list[City], plugins: Plugins
) -> None:
    messages.use({})
    matcher = Matcher(network_of(cities, fields=plugins.fields()), list(plugins.match_scorers()))
    # uccn's own catalog speaks French, so names are French; the untranslated phrase is English.
    assert parts(matcher, "parma", "alba", "fr")["sdgs"] == "shared SDG 12"


def extracted() -> set[str]:
    found = set()
    for path in SCORERS.glob("*.py"):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"say": None}
        ):
            found.add(message)
    return found


def test_every_phrase_of_the_scorers_has_a_french_translation_with_its_placeholders() -> None:
    phrases = extracted()
    assert len(phrases) >= 14
    french = {english: texts["fr"] for english, texts in catalogs().items() if "fr" in texts}
    assert sorted(phrases - french.keys()) == []
    for english, text in french.items():
        assert messages.placeholders(text) == messages.placeholders(english), english
        values = {name: 1 for _, name, _, _ in string.Formatter().parse(english) if name}
        text.format(**values)


def test_the_translations_load_as_a_plugin_without_problems(plugins: Plugins) -> None:
    assert "match-translations" in {info.name for info in plugins.infos}
    assert plugins.translations()["shared SDG {goals}"]["fr"] == "ODD communs : {goals}"
    assert not [p for p in plugins.problems if p.plugin == "match-translations"]
