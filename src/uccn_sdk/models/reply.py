"""Replies: one city's current answer to a call, with its history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import Field

from uccn_sdk.models.base import Model
from uccn_sdk.models.people import Handle, Platform
from uccn_sdk.models.values import AwareDatetime, Slug

Answer = str | float
"""A parsed answer: text, a choice, or a number; a date is text in ISO form (2026-12-01)."""


class MessageRef(Model):
    """Where a reply came from on a chat platform."""

    platform: Platform
    room: Annotated[str, Field(min_length=1, max_length=255)]
    event_id: Annotated[str, Field(min_length=1, max_length=255)]


class Revision(Model):
    """An earlier version of a reply, kept when it is edited or withdrawn."""

    text: str
    answers: dict[str, Answer] = {}
    source: MessageRef | None = None
    at: AwareDatetime


class Reply(Model):
    call: Slug
    city: Slug
    author: Handle
    """The platform user who wrote the reply."""
    text: Annotated[str, Field(max_length=40_000)]
    answers: dict[str, Answer] = {}
    """Parsed answers keyed by question id ('q1', …)."""
    source: MessageRef | None = None
    verified: bool = False
    """True when the author is one of the city's focal points."""
    withdrawn: bool = False
    history: list[Revision] = []
    edit: Annotated[str, Field(max_length=255)] | None = None
    """The platform's id of the edit that made this version, when an edit did: deleting that
    edit brings back the version before it."""
    received_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    updated_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))


class UnlinkedReply(Model):
    """An answer from someone who is not a focal point: kept, but not a city's reply."""

    call: Slug
    platform: Platform
    author: Handle
    text: Annotated[str, Field(max_length=40_000)]
    source: MessageRef | None = None
    received_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
