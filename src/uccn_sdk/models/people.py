"""Focal points: the people who act for a city in the network."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints

from uccn_sdk.models.base import Model
from uccn_sdk.models.values import LanguageCode, Name, Slug, TimeZone

Platform = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
"""A chat platform's name as its connector registers it, such as 'matrix' or 'slack'."""

Handle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class Role(StrEnum):
    MAIN = "main"
    ALTERNATE = "alternate"


class FocalPoint(Model):
    """A person who answers for a city: its main executive contact or the alternate."""

    id: Slug
    city: Slug
    name: Name
    role: Role = Role.MAIN
    handles: Annotated[dict[Platform, Handle], Field(max_length=10)] = {}
    """The person's user id on each platform, e.g. {'matrix': '@ana:example.org'}."""
    email: EmailStr | None = None
    language: LanguageCode = "en"
    timezone: TimeZone | None = None
    """Overrides the city's time zone for reminders, when the person lives elsewhere."""


def handles_on(platform: str, points: Iterable[FocalPoint]) -> tuple[str, ...]:
    """The user ids `points` have on `platform`: whom a post there mentions to reach them."""
    return tuple(handle for point in points if (handle := point.handles.get(platform)))
