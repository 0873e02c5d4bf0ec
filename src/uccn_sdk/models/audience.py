"""Who a call or an announcement is for."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import CountryCode, Region, Slug


class Audience(Model):
    """Everyone, or the union of the fields, regions, countries and cities named."""

    everyone: bool = False
    fields: Annotated[list[Slug], Field(max_length=20)] = []
    regions: Annotated[list[Region], Field(max_length=5)] = []
    countries: Annotated[list[CountryCode], Field(max_length=250)] = []
    cities: Annotated[list[Slug], Field(max_length=1000)] = []

    @model_validator(mode="after")
    def _names_someone(self) -> Audience:
        named = self.fields or self.regions or self.countries or self.cities
        if self.everyone and named:
            raise Invalid(N_("an audience is either everyone or a list, not both"))
        if not self.everyone and not named:
            raise Invalid(
                N_(
                    "the audience is empty: say everyone, or name fields, regions, countries or "
                    "cities"
                )
            )
        return self

    @classmethod
    def parse(cls, spec: str) -> Audience:
        """An audience written as ``everyone`` or ``field:music,region:africa,city:lyon``."""
        data: dict[str, object] = {}
        for part in spec.split(","):
            kind, _sep, value = part.strip().partition(":")
            if kind == "everyone" and not value:
                data["everyone"] = True
            elif kind in ("field", "region", "country", "city") and value:
                key = {"city": "cities", "country": "countries"}.get(kind, kind + "s")
                data.setdefault(key, []).append(value.strip())  # type: ignore[attr-defined]
            elif part.strip():
                raise Invalid(
                    N_(
                        "{part} is not an audience: write everyone, or field:…, region:…, "
                        "country:… and city:… separated by commas"
                    ),
                    part=repr(part.strip()),
                )
        return cls.model_validate(data)
