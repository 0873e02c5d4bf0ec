"""Five member cities in three fields: a small, real network for tests and plugin checks.

``uccn_sdk.testing`` builds its test network from them; ``uccn plugins --check`` tries
each match scorer on them.
"""

from __future__ import annotations

from typing import Any

from uccn_sdk.models import City, CreativeField

_CITIES: list[dict[str, Any]] = [
    {
        "id": "lyon",
        "name": "Lyon",
        "country": "FR",
        "designations": [{"field": "media-arts", "year": 2008}],
        "coordinates": {"lat": 45.76, "lon": 4.84},
        "timezone": "Europe/Paris",
        "languages": ["fr"],
        "region": "europe-north-america",
        "description": "Festivals of light and digital art; a creative economy of video games.",
        "sdgs": [4, 8, 11],
    },
    {
        "id": "bologna",
        "name": "Bologna",
        "country": "IT",
        "designations": [{"field": "music", "year": 2006}],
        "coordinates": {"lat": 44.49, "lon": 11.34},
        "timezone": "Europe/Rome",
        "languages": ["it"],
        "region": "europe-north-america",
        "description": "Music schools, concerts in historic squares and a music museum.",
        "sdgs": [4, 11],
    },
    {
        "id": "popayan",
        "name": "Popayán",
        "country": "CO",
        "designations": [{"field": "gastronomy", "year": 2005}],
        "coordinates": {"lat": 2.44, "lon": -76.61},
        "timezone": "America/Bogota",
        "languages": ["es"],
        "region": "latin-america-caribbean",
        "description": "Traditional cuisine, a gastronomy congress and food heritage.",
        "sdgs": [2, 8, 12],
    },
    {
        "id": "dakar",
        "name": "Dakar",
        "country": "SN",
        "designations": [{"field": "media-arts", "year": 2014}],
        "coordinates": {"lat": 14.72, "lon": -17.47},
        "timezone": "Africa/Dakar",
        "languages": ["fr", "wo"],
        "region": "africa",
        "description": "A biennale of contemporary art, digital creation and young artists.",
        "sdgs": [4, 5, 8],
    },
    {
        "id": "chengdu",
        "name": "Chengdu",
        "country": "CN",
        "designations": [{"field": "gastronomy", "year": 2010}],
        "coordinates": {"lat": 30.66, "lon": 104.07},
        "timezone": "Asia/Shanghai",
        "languages": ["zh"],
        "region": "asia-pacific",
        "description": "Sichuan cuisine, food heritage and a gastronomy museum.",
        "sdgs": [2, 8, 12],
    },
]
_FIELDS: dict[str, dict[str, str]] = {
    "gastronomy": {"en": "Gastronomy", "fr": "Gastronomie", "es": "Gastronomía"},
    "media-arts": {"en": "Media Arts", "fr": "Arts numériques", "es": "Artes Digitales"},
    "music": {"en": "Music", "fr": "Musique", "es": "Música"},
}


def cities() -> list[City]:
    """Lyon and Dakar (Media Arts), Bologna (Music), Popayán and Chengdu (Gastronomy)."""
    return [City.model_validate(data) for data in _CITIES]


def fields() -> list[CreativeField]:
    """The three fields the cities belong to, named in English, French and Spanish."""
    return [CreativeField(slug=slug, names=names) for slug, names in _FIELDS.items()]
