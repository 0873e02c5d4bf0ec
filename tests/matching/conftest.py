"""A small network with hand-written profiles, and the engine over it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.calls.conftest import network, recorder  # noqa: F401 (the chat commands' fixtures)
from uccn_sdk.config import MatchingSettings
from uccn_sdk.matching.engine import Matcher
from uccn_sdk.matching.network import Network
from uccn_sdk.models import City, Project
from uccn_sdk.plugins import Plugins

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)

# id, country, field, year, zone, languages, region, SDGs, description
# fmt: off
CITIES: list[tuple[Any, ...]] = [
    ("parma", "IT", "gastronomy", 2015, "Europe/Rome", ["it"], "europe-north-america", [2, 12],
     "Food valley: cured ham, cheese, food heritage, agriculture and a food festival."),
    ("alba", "IT", "gastronomy", 2017, "Europe/Rome", ["it"], "europe-north-america", [12],
     "White truffles, wine, food heritage of the hills, a truffle fair and food festival."),
    ("bergamo", "IT", "gastronomy", 2019, "Europe/Rome", ["it"], "europe-north-america", [2],
     "Cheese valleys, food heritage, agriculture in the mountains, a cheese festival."),
    ("jeonju", "KR", "gastronomy", 2012, "Asia/Seoul", ["ko"], "asia-pacific", [2, 12, 13],
     "Bibimbap, fermented food heritage, a food festival and climate-friendly farming."),
    ("port-louis", "MU", "music", 2023, "Indian/Mauritius", ["en", "fr"], "africa", [11],
     "Sega music, festivals of music, young musicians and music schools."),
    ("lyon", "FR", "literature", 2023, "Europe/Paris", ["fr"], "europe-north-america", [4, 11],
     "Books, libraries, a literature festival, comic strips and authors' residencies."),
    ("dakar", "SN", "media-arts", 2014, "Africa/Dakar", ["fr"], "africa", [4, 9],
     "Digital arts, a biennale of contemporary art, media labs for young people."),
    ("montreal", "CA", "design", 2006, "America/Toronto", ["en", "fr"], "europe-north-america",
     [9, 11], "Urban design, design competitions, public spaces and a design week."),
    ("bogota", "CO", "music", 2012, "America/Bogota", ["es"], "latin-america-caribbean", [11],
     "Music festivals in parks, orchestras for young people, a music market."),
    ("quito", "EC", "architecture", 2025, "America/Guayaquil", ["es"],
     "latin-america-caribbean", [11], "Colonial architecture, heritage restoration, urban design."),
]
# fmt: on


def city(row: tuple[Any, ...]) -> City:
    city_id, country, field, year, zone, languages, region, sdgs, description = row
    return City.model_validate(
        {
            "id": city_id,
            "name": city_id.replace("-", " ").title(),
            "country": country,
            "designations": [{"field": field, "year": year}],
            "timezone": zone,
            "languages": languages,
            "region": region,
            "sdgs": sdgs,
            "description": description,
        }
    )


@pytest.fixture
def cities() -> list[City]:
    return [city(row) for row in CITIES]


def network_of(
    cities: list[City],
    projects: list[Project] | None = None,
    **changes: Any,
) -> Network:
    settings = changes.pop("settings", MatchingSettings())
    return Network.of(cities, projects or [], settings=settings, now=NOW, **changes)


@pytest.fixture
def scorers(plugins: Plugins) -> list[Any]:
    return list(plugins.match_scorers())


@pytest.fixture
def matcher(cities: list[City], scorers: list[Any]) -> Matcher:
    return Matcher(network_of(cities), scorers)
