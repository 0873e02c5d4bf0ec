"""Validated scalar types shared by the models: codes, slugs, time zones, SDGs."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


STORED = {"stored": True}
"""The validation context of documents read back from the store: their countries, languages
and time zones were checked against the full lists when they were written, so reading them
skips those lookups (loading the lists is most of a short command's time)."""


def _stored(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and info.context.get("stored") is True


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise Invalid(
            N_(
                "{value} is not a slug: use lowercase letters, digits and single hyphens, like "
                "'media-arts' or 'granada-0'"
            ),
            value=repr(value),
        )
    return value


@cache
def _country_codes() -> frozenset[str]:
    import pycountry  # loaded on first use: its tables are large

    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 country code (upper case)."""
    return code in _country_codes()


def _country(value: str, info: ValidationInfo) -> str:
    if _stored(info):
        return value
    code = value.strip().upper()
    if code not in _country_codes():
        raise Invalid(
            N_("{value} is not an ISO 3166-1 alpha-2 country code (for example 'FR', 'NG', 'KR')"),
            value=repr(value),
        )
    return code


_LANGUAGE_TAG = re.compile(
    r"^(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|[0-9]{3}))?$"
)


@cache
def _language_codes() -> frozenset[str]:
    import pycountry

    codes = set()
    for language in pycountry.languages:
        codes.add(language.alpha_3)
        if hasattr(language, "alpha_2"):
            codes.add(language.alpha_2)
    return frozenset(codes)


def _known_language(code: str) -> bool:
    """Whether `code` is an ISO 639 language. CLDR's locales (babel) answer for the common
    ones without loading pycountry's list of every language, which takes a while."""
    from babel import localedata

    return localedata.exists(code) or code in _language_codes()


def _language(value: str, info: ValidationInfo) -> str:
    if _stored(info):
        return value
    match = _LANGUAGE_TAG.match(value.strip().replace("_", "-").lower())
    if not match or not _known_language(match["language"]):
        raise Invalid(
            N_(
                "{value} is not a language tag: give an ISO 639 code, optionally with a script "
                "and a region (for example 'en', 'fr', 'pt-BR', 'zh-Hant')"
            ),
            value=repr(value),
        )
    parts = [match["language"]]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: str, info: ValidationInfo) -> str:
    if _stored(info):
        return value
    if value not in _zones():
        raise Invalid(
            N_("{value} is not an IANA time zone (for example 'Europe/Paris', 'Africa/Lagos')"),
            value=repr(value),
        )
    return value


LAST_YEAR = 2999
"""The last year a moment may fall in: a call's deadline, an announcement's date."""


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid(N_("give a time with its UTC offset, like 2026-12-01T17:00:00+01:00"))
    if value.year > LAST_YEAR:  # the calendar arithmetic on it would overflow near 9999
        raise Invalid(
            N_("{date} is too far ahead; give a date before {year}"),
            date=f"{value:%Y-%m-%d}",
            year=LAST_YEAR + 1,
        )
    return value


Slug = Annotated[str, StringConstraints(max_length=100), AfterValidator(_slug)]
"""A lowercase identifier such as a field slug or a UNESCO page slug."""

CountryCode = Annotated[str, AfterValidator(_country)]
"""An ISO 3166-1 alpha-2 country code, normalised to upper case."""

LanguageCode = Annotated[str, StringConstraints(max_length=35), AfterValidator(_language)]
"""A BCP-47 language tag (ISO 639 language, optional script and region), normalised."""

TimeZone = Annotated[str, AfterValidator(_timezone)]
"""An IANA time zone name."""

Sdg = Annotated[int, Field(ge=1, le=17)]
"""A UN Sustainable Development Goal number, 1 to 17."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A non-empty display name."""

AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
"""A datetime that carries its UTC offset."""


class Region(StrEnum):
    """UNESCO's regions, as the network reports by them."""

    AFRICA = "africa"
    ARAB_STATES = "arab-states"
    ASIA_PACIFIC = "asia-pacific"
    EUROPE_NORTH_AMERICA = "europe-north-america"
    LATIN_AMERICA_CARIBBEAN = "latin-america-caribbean"

    @property
    def label(self) -> str:
        return _REGION_LABELS[self]


_REGION_LABELS = {
    Region.AFRICA: "Africa",
    Region.ARAB_STATES: "Arab States",
    Region.ASIA_PACIFIC: "Asia and the Pacific",
    Region.EUROPE_NORTH_AMERICA: "Europe and North America",
    Region.LATIN_AMERICA_CARIBBEAN: "Latin America and the Caribbean",
}
