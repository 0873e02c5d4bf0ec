"""Matches between cities or projects, with the parts that explain the score."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from uccn_sdk.models.base import Model

Score = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class Party(Model):
    kind: Literal["city", "project", "text"]
    ref: Annotated[str, Field(min_length=1, max_length=1_000)]
    """A city id, a project id, or the free text itself."""


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
