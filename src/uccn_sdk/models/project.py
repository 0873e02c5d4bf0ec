"""Projects that a city leads and seeks partners for."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import Name, Sdg, Slug

Theme = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class Project(Model):
    id: Slug
    title: Name
    lead_city: Slug
    partners: Annotated[list[Slug], Field(max_length=500)] = []
    fields: Annotated[list[Slug], Field(max_length=20)] = []
    sdgs: Annotated[list[Sdg], Field(max_length=17)] = []
    themes: Annotated[list[Theme], Field(max_length=50)] = []
    description: Annotated[str, Field(max_length=20_000)] = ""
    looking_for: Annotated[str, Field(max_length=5_000)] = ""
    """What partners the project looks for, in the lead city's words."""

    @model_validator(mode="after")
    def _lead_is_not_a_partner(self) -> Project:
        if self.lead_city in self.partners:
            raise Invalid(
                N_("the lead city “{city}” is also listed as a partner"), city=self.lead_city
            )
        twice = sorted({city for city in self.partners if self.partners.count(city) > 1})
        if twice:
            raise Invalid(
                N_("a partner is listed twice: {partners}"), partners=", ".join(map(repr, twice))
            )
        if len(set(self.sdgs)) != len(self.sdgs):
            raise Invalid(N_("an SDG is listed twice"))
        return self
