"""The UNESCO directory the uccn-unesco plugin ships, checked against its inputs."""

from __future__ import annotations

import csv
import hashlib
import json
from importlib.resources import files
from pathlib import Path

import pytest
from uccn_unesco.directory import UnescoDirectory

from uccn_sdk.models import UNVERIFIED, City
from uccn_sdk.plugins import Plugins

PACKAGE = Path(str(files("uccn_unesco")))


@pytest.fixture(scope="module")
def cities() -> dict[str, City]:
    return {c.id: c for c in UnescoDirectory().load()}


def test_the_eight_fields_are_named_in_english_french_and_spanish(plugins: Plugins) -> None:
    fields = plugins.fields()
    assert sorted(fields.keys()) == [
        "architecture",
        "crafts-folk-art",
        "design",
        "film",
        "gastronomy",
        "literature",
        "media-arts",
        "music",
    ]
    for field in fields:
        assert {"en", "fr", "es"} <= field.names.keys()
    assert fields["media-arts"].name("fr") == "Arts numériques"


def test_the_directory_holds_350_memberships_of_2023_and_34_of_2025(
    cities: dict[str, City],
) -> None:
    assert len(cities) == 384
    assert sum(1 for c in cities.values() if c.designations[-1].year == 2025) == 34
    assert len({c.country for c in cities.values()}) > 100


def test_every_city_has_a_zone_a_region_and_languages(
    cities: dict[str, City], plugins: Plugins
) -> None:
    fields = plugins.fields()
    for city in cities.values():
        assert city.timezone, city.id
        assert city.region, city.id
        assert city.languages, city.id
        assert all(d.field in fields for d in city.designations), city.id


def test_the_2023_list_is_carried_over_fact_by_fact(
    cities: dict[str, City], shared_data: Path
) -> None:
    with (shared_data / "uccn_members_2023.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 350
    for row in rows:
        city = cities[row["unesco_url"].rstrip("/").rsplit("/", 1)[-1]]
        assert city.name == row["city"]
        assert city.country == row["country_iso2"]
        assert city.source_of("country") == row["country_source"] == UNVERIFIED
        assert city.year == int(row["year_designated"])
        assert city.designations[0].source == row["year_source"]
        assert city.coordinates is not None
        assert (city.coordinates.lat, city.coordinates.lon) == (
            float(row["lat"]),
            float(row["lon"]),
        )
        assert city.source_of("coordinates") == row["coord_source"]


def test_cities_that_share_a_name_keep_their_own_ids(cities: dict[str, City]) -> None:
    assert (cities["granada"].country, cities["granada"].field) == ("ES", "literature")
    assert (cities["granada-0"].country, cities["granada-0"].field) == ("NI", "design")


def test_a_change_of_field_is_kept_as_two_designations(cities: dict[str, City]) -> None:
    lyon = cities["lyon"]
    assert [(d.field, d.year) for d in lyon.designations] == [
        ("media-arts", 2008),
        ("literature", 2023),
    ]


def test_a_2025_country_that_sources_disagree_on_stays_unverified(cities: dict[str, City]) -> None:
    assert cities["cuenca"].source_of("country") == UNVERIFIED
    assert cities["kisumu"].source_of("country").startswith("press:")


def test_the_shipped_file_was_built_from_the_current_inputs(shared_data: Path) -> None:
    document = json.loads((PACKAGE / "data" / "cities.json").read_text(encoding="utf-8"))
    for name, digest in document["inputs"].items():
        assert hashlib.sha256((shared_data / name).read_bytes()).hexdigest() == digest, (
            f"{name} changed: run plugins/uccn-unesco/scripts/build_directory.py"
        )


def test_the_profile_texts_stay_out_of_the_package(shared_data: Path) -> None:
    pages = json.loads((shared_data / "raw" / "unesco_city_pages_2024-10-01.json").read_text())
    snippets = [page["Description"][40:120] for page in list(pages["0"].values())[:50]]
    shipped = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in PACKAGE.rglob("*.*"))
    assert not [s for s in snippets if s and s in shipped]
