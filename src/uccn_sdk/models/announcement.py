"""Announcements the Secretariat schedules for an audience."""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from uccn_sdk.models.audience import Audience
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import AwareDatetime, Slug, TimeZone


class Once(Model):
    kind: Literal["once"] = "once"
    at: AwareDatetime


class Recurring(Model):
    kind: Literal["recurring"] = "recurring"
    cron: Annotated[str, Field(min_length=9, max_length=100)]
    """A five-field cron expression, such as '0 10 * * fri'."""
    timezone: TimeZone = "UTC"


class LocalTime(Model):
    """At a local hour in each target city, on one day or on a cron-like day rule."""

    kind: Literal["local"] = "local"
    at: time
    day: Annotated[str, Field(min_length=1, max_length=100)]
    """A date (2026-12-04) or days of week (fri, mon-fri)."""


Schedule = Annotated[Once | Recurring | LocalTime, Field(discriminator="kind")]


class AnnouncementState(StrEnum):
    SCHEDULED = "scheduled"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    DONE = "done"


class Announcement(Model):
    id: Slug
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    audience: Audience
    schedule: Schedule
    state: AnnouncementState = AnnouncementState.SCHEDULED
