"""Matches between cities or projects, with the parts that explain the score, and rounds."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_
from uccn_sdk.models.audience import Audience
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import Slug

Score = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class Party(Model):
    kind: Literal["city", "project", "text"]
    ref: Annotated[str, Field(min_length=1, max_length=1_000)]
    """A city id, a project id, or the free text itself."""
    label: Annotated[str, Field(max_length=200)] = ""
    """How to name it to a person: the city's or the project's name."""


class ScorePart(Model):
    scorer: Annotated[str, Field(min_length=1, max_length=100)]
    score: Score
    weight: Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
    explanation: Annotated[str, Field(max_length=500)] = ""
    """In words a focal point understands: 'both Cities of Gastronomy'."""


class Match(Model):
    subject: Party
    other: Party
    score: Score
    parts: list[ScorePart] = []
    round: Slug | None = None
    """The matching round that paired them, if any."""

    def explanation(self, limit: int = 4) -> str:
        """The parts that count most, as one line: 'both Gastronomy; shared SDG 11 and 12'."""
        ranked = sorted(self.parts, key=lambda p: p.score * p.weight, reverse=True)
        said = [p.explanation for p in ranked if p.explanation and p.score > 0]
        return "; ".join(said[:limit])


class RoundGroup(Model):
    """Two cities (three when the count is odd) introduced to each other in a round."""

    cities: Annotated[list[Slug], Field(min_length=2, max_length=3)]
    score: Score
    explanation: Annotated[str, Field(max_length=1_000)] = ""
    repeat: bool = False
    """Some of them were paired in an earlier round: there was no other way."""
    met: bool | None = None
    """What they answered to the follow-up: they met, they did not, or no answer yet."""


class Round(Model):
    """A matching round: every city of a set paired with a peer, like Donut for colleagues."""

    id: Slug
    created_at: AwareDatetime
    scope: Audience
    cross_field: bool = False
    """Only pairs of different fields."""
    groups: list[RoundGroup]
    left_out: list[Slug] = []
    """Cities in the scope that opted out or could not be paired."""
    method: Literal["local-search", "candidates"]
    total: float
    """The sum of the groups' scores."""
    bound: float | None = None
    """An upper bound on the best possible total, where it is cheap to compute."""
    follow_up_at: datetime | None = None
    followed_up: bool = False

    @model_validator(mode="after")
    def _each_city_once(self) -> Round:
        seen = [c for g in self.groups for c in g.cities]
        if len(seen) != len(set(seen)):
            raise Invalid(N_("a city is in two groups of the round"))
        return self

    def group_of(self, city: str) -> RoundGroup | None:
        return next((g for g in self.groups if city in g.cities), None)
