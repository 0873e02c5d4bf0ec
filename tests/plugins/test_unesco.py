"""The UNESCO directory the uccn-unesco plugin ships, checked against its inputs in data-src/."""

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
DATA_SRC = Path(__file__).resolve().parents[2] / "plugins" / "uccn-unesco" / "data-src"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA_SRC / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def slug(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


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


def test_the_directory_holds_350_memberships_of_2023_and_55_of_2025(
    cities: dict[str, City],
) -> None:
    assert len(cities) == 405
    assert sum(1 for c in cities.values() if c.designations[-1].year == 2025) == 55
    assert len({c.country for c in cities.values()}) > 100
    architecture = sorted(c.name for c in cities.values() if c.field == "architecture")
    assert architecture == ["Bistrita", "Kashan", "Lusail", "Quito", "Rovaniemi"]


def test_every_designation_year_has_a_source(cities: dict[str, City]) -> None:
    unsourced = [c.id for c in cities.values() for d in c.designations if d.source == UNVERIFIED]
    assert unsourced == []
    rounds = {year: 0 for year in (2017, 2019, 2021, 2023, 2025)}
    for city in cities.values():
        for designation in city.designations:
            if designation.year in rounds and designation.source != "dataset_note":
                rounds[designation.year] += 1
    # The official sizes of the rounds (the 2025 list lacks three cities).
    assert rounds == {2017: 64, 2019: 66, 2021: 49, 2023: 55, 2025: 55}


def test_every_city_has_a_zone_a_region_and_languages(
    cities: dict[str, City], plugins: Plugins
) -> None:
    fields = plugins.fields()
    for city in cities.values():
        assert city.timezone, city.id
        assert city.region, city.id
        assert city.languages, city.id
        assert all(d.field in fields for d in city.designations), city.id


def test_the_2023_list_is_carried_over_fact_by_fact(cities: dict[str, City]) -> None:
    members = rows("uccn_members_2023.csv")
    sourced = {slug(row["unesco_url"]): row for row in rows("uccn_members_2023_years.csv")}
    assert len(members) == 350
    for row in members:
        city = cities[slug(row["unesco_url"])]
        assert city.name == row["city"]
        assert city.country == row["country_iso2"]
        assert city.source_of("country") == row["country_source"] == UNVERIFIED
        if city.id in sourced:
            assert city.year == int(sourced[city.id]["year_designated"])
            first_page = sourced[city.id]["source"].split()[0]
            assert city.designations[0].source.startswith(f"press:{first_page}")
        else:
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


def test_two_years_the_sources_correct(cities: dict[str, City]) -> None:
    assert cities["santiago-de-cuba"].year == 2021  # the 2023 list said 2019
    assert cities["overstrand-hermanus"].year == 2019  # the 2023 list said 2020
    assert cities["santiago-de-cuba"].designations[0].source.startswith("press:https://")


def test_a_2025_city_keeps_every_page_that_names_it(cities: dict[str, City]) -> None:
    cuenca = cities["cuenca"]
    assert cuenca.country == "EC"
    pages = cuenca.source_of("country").removeprefix("press:").split(" ; ")
    assert len(pages) == 2 and all(page.startswith("https://") for page in pages)
    assert cuenca.designations[0].source == cuenca.source_of("country")


def test_the_shipped_file_was_built_from_the_current_inputs() -> None:
    document = json.loads((PACKAGE / "data" / "cities.json").read_text(encoding="utf-8"))
    assert sorted(document["inputs"]) == sorted(p.name for p in DATA_SRC.glob("*.csv"))
    for name, digest in document["inputs"].items():
        assert hashlib.sha256((DATA_SRC / name).read_bytes()).hexdigest() == digest, (
            f"{name} changed: run plugins/uccn-unesco/scripts/build_directory.py"
        )


def prose(value: object) -> list[str]:
    """Every string in a JSON value that reads like a sentence: eight words or more."""
    if isinstance(value, dict):
        return [found for item in value.values() for found in prose(item)]
    if isinstance(value, list):
        return [found for item in value for found in prose(item)]
    return [value] if isinstance(value, str) and len(value.split()) >= 8 else []


def test_the_profile_texts_stay_out_of_the_package() -> None:
    # UNESCO's profile texts are theirs: the package ships facts (names, codes, sources), never
    # prose. A source lists pages as 'press:URL ; URL', which is not prose either.
    document = json.loads((PACKAGE / "data" / "cities.json").read_text(encoding="utf-8"))
    assert all(not city.get("description") for city in document["cities"])
    sentences = [
        text for text in prose(document["cities"]) if not text.startswith(("press:", "import:"))
    ]
    assert sentences == []
    shipped = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.*"))
    assert [p for p in shipped if "__pycache__" not in p] == [
        "__init__.py",
        "data/cities.json",
        "directory.py",
        "fields.py",
        "plugin.py",
        "py.typed",
    ]


def test_a_profile_text_in_the_shipped_data_would_be_found() -> None:
    city = {"id": "x", "description": "", "provenance": {"name": "press:https://a ; https://b"}}
    assert prose([city]) == []
    city["name"] = "A city of rivers and bridges whose festivals gather the region"
    assert prose([city]) == [city["name"]]
