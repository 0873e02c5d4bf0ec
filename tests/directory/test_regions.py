"""Every member city's country has the UNESCO region the network reports it in."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from uccn_sdk.geography import region_of
from uccn_sdk.models import Region
from uccn_sdk.plugins import Plugins

EUROPE = Region.EUROPE_NORTH_AMERICA
ASIA = Region.ASIA_PACIFIC
AMERICAS = Region.LATIN_AMERICA_CARIBBEAN


def test_greenland_is_in_europe_and_north_america() -> None:
    assert region_of("GL") is EUROPE
    assert region_of("gl") is EUROPE


@pytest.mark.parametrize(
    ("territory", "region"),
    [
        ("PR", EUROPE),  # with the United States, as UNESCO lists San Juan's heritage
        ("HK", ASIA),
        ("MO", ASIA),  # an Associate Member
        ("FO", EUROPE),  # an Associate Member
        ("NC", ASIA),  # an Associate Member
        ("PF", EUROPE),
        ("RE", EUROPE),
        ("GP", EUROPE),
        ("MQ", EUROPE),
        ("AW", AMERICAS),  # an Associate Member
        ("CW", AMERICAS),  # an Associate Member
        ("BM", EUROPE),
        ("GU", EUROPE),
        ("AX", EUROPE),
    ],
)
def test_a_territory_has_the_region_unesco_counts_it_in(territory: str, region: Region) -> None:
    assert region_of(territory) is region


def test_every_country_has_a_region_but_antarctica_and_western_sahara() -> None:
    without = sorted(c.alpha_2 for c in pycountry.countries if region_of(c.alpha_2) is None)
    assert without == ["AQ", "EH"]


def test_every_country_of_the_shipped_directory_has_the_region_its_cities_have(
    plugins: Plugins,
) -> None:
    cities = [city for source in plugins.city_sources() for city in source.load()]
    assert len(cities) > 400
    for city in cities:
        assert city.region is not None, city.id
        assert region_of(city.country) is city.region, city.id


def test_a_city_imported_in_greenland_is_listed_in_its_region(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "nuuk.csv"
    source.write_text("id,name,country,field,year\nnuuk,Nuuk,GL,music,2025\n", encoding="utf-8")
    assert "1 added" in uccn("cities", "import", str(source)).out
    shown = uccn("cities", "show", "nuuk").out
    assert "Europe and North America" in shown
    assert "derived_from_country:unesco_regions" in shown
    listed = uccn("cities", "list", "--region", "europe-north-america", "--country", "GL").out
    assert "1 city\n" in listed and "nuuk" in listed
