"""Facts derived from a country: its UNESCO region, official languages and time zone."""

from __future__ import annotations

from functools import cache

from uccn_sdk.models.values import Region

# UNESCO's regional grouping of its Member States and Associate Members (ISO 3166-1), and
# of the Holy See, a permanent observer.
_REGIONS: dict[Region, str] = {
    Region.AFRICA: (
        "AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ GQ ER SZ ET GA GM GH GN GW KE LS LR MG MW ML "
        "MU MZ NA NE NG RW ST SN SC SL SO ZA SS TZ TG UG ZM ZW"
    ),
    Region.ARAB_STATES: "DZ BH EG IQ JO KW LB LY MR MA OM PS QA SA SD SY TN AE YE",
    Region.ASIA_PACIFIC: (
        "AF AU BD BT BN KH CN CK KP FJ IN ID IR JP KZ KI KG LA MY MV MH FM MN MM NR NP NZ NU PK "
        "PW PG PH KR WS SG SB LK TJ TH TL TO TM TV UZ VU VN HK MO TK NC"
    ),
    Region.EUROPE_NORTH_AMERICA: (
        "AL AD AM AT AZ BY BE BA BG CA HR CY CZ DK EE FI FR GE DE GR HU IS IE IL IT LV LT LU MT "
        "MC ME NL MK NO PL PT MD RO RU SM RS SK SI ES SE CH TR UA GB US LI FO VA"
    ),
    Region.LATIN_AMERICA_CARIBBEAN: (
        "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC "
        "SR TT UY VE AW CW SX VG KY MS"
    ),
}

# A territory that is no member of its own is counted with the Member State UNESCO lists it
# under, as the World Heritage List does: Ilulissat with Denmark, San Juan with the United
# States, Réunion with France. Antarctica and Western Sahara are counted with none.
_TERRITORIES: dict[str, str] = {
    "AU": "CC CX HM NF",
    "CN": "TW",
    "DK": "GL",
    "FI": "AX",
    "FR": "BL GF GP MF MQ PF PM RE TF WF YT",
    "GB": "AI BM FK GG GI GS IM IO JE PN SH TC",
    "NL": "BQ",
    "NO": "BV SJ",
    "US": "AS GU MP PR UM VI",
}

REGION_SOURCE = "derived_from_country:unesco_regions"
LANGUAGE_SOURCE = "derived_from_country:cldr"
TIMEZONE_SOURCE = "derived_from_country:cldr_single_zone"


@cache
def _region_by_country() -> dict[str, Region]:
    regions = {code: region for region, codes in _REGIONS.items() for code in codes.split()}
    for state, territories in _TERRITORIES.items():
        regions |= dict.fromkeys(territories.split(), regions[state])
    return regions


def region_of(country: str) -> Region | None:
    """The UNESCO region of a country or territory, or None for Antarctica and Western Sahara,
    which UNESCO counts in no region."""
    return _region_by_country().get(country.upper())


def official_languages(country: str) -> list[str]:
    """The country's official languages by CLDR, de facto ones included."""
    return list(_official_languages(country.upper()))


@cache
def _official_languages(country: str) -> tuple[str, ...]:
    from babel.languages import get_official_languages

    return tuple(code.replace("_", "-") for code in get_official_languages(country, de_facto=True))


@cache
def single_timezone(country: str) -> str | None:
    """The country's time zone when it has exactly one, else None."""
    from babel.core import get_global

    zones = get_global("territory_zones").get(country.upper(), [])
    return zones[0] if len(zones) == 1 else None
