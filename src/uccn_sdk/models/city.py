"""Member cities and where each fact about them came from."""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import CountryCode, LanguageCode, Name, Region, Sdg, Slug, TimeZone

Fact = Literal["name", "country", "coordinates", "timezone", "languages", "region"]
"""The city facts that carry a provenance (designations carry their own)."""

UNVERIFIED = "unverified"
"""The provenance of a fact nobody has checked yet; it stays so until someone does."""

Provenance = Annotated[str, Field(min_length=1, max_length=500)]


class Coordinates(Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Designation(Model):
    """A city's membership in one creative field from a given year."""

    field: Slug
    year: int = Field(ge=2004, le=2100)
    source: Provenance = UNVERIFIED


class City(Model):
    """A member city, keyed on its UNESCO page slug because names are not unique."""

    id: Slug
    name: Name
    country: CountryCode
    designations: Annotated[list[Designation], Field(min_length=1, max_length=20)]
    """Oldest first; the last one is the city's current field."""
    coordinates: Coordinates | None = None
    timezone: TimeZone | None = None
    languages: Annotated[list[LanguageCode], Field(max_length=20, default_factory=list)]
    region: Region | None = None
    provenance: dict[Fact, Provenance] = Field(default_factory=dict)
    """Where each fact came from, such as 'geonames' or 'unverified'."""
    description: Annotated[str, Field(max_length=20_000)] = ""
    """The city's own profile, in its words; added by the Secretariat's import."""
    sdgs: Annotated[list[Sdg], Field(max_length=17, default_factory=list)]
    """The Sustainable Development Goals the city's creative work addresses."""

    @field_validator("designations")
    @classmethod
    def _oldest_first(cls, designations: list[Designation]) -> list[Designation]:
        return sorted(designations, key=lambda d: d.year)

    @model_validator(mode="after")
    def _one_designation_per_field(self) -> City:
        seen = [d.field for d in self.designations]
        if len(seen) != len(set(seen)):
            raise Invalid(N_("city “{city}” lists a field twice in its designations"), city=self.id)
        if len(set(self.sdgs)) != len(self.sdgs):
            raise Invalid(N_("city “{city}” lists an SDG twice"), city=self.id)
        return self

    @property
    def field(self) -> str:
        """The slug of the city's current creative field."""
        return self.designations[-1].field

    @property
    def year(self) -> int:
        """The year the city was first designated."""
        return self.designations[0].year

    def designation_in(
        self, fields: Collection[str] = (), years: Collection[int] = ()
    ) -> Designation | None:
        """The latest designation in any of `fields` and any of `years` (empty: any), or None."""
        found = [
            d
            for d in self.designations
            if (not fields or d.field in fields) and (not years or d.year in years)
        ]
        return found[-1] if found else None

    def source_of(self, fact: Fact) -> str:
        return self.provenance.get(fact, UNVERIFIED)
