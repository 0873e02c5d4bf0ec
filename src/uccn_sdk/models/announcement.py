"""Announcements the Secretariat schedules for an audience."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from uccn_sdk.models.audience import Audience
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import AwareDatetime, Slug, TimeZone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(rule: str) -> date | frozenset[int]:
    """A day rule as a date, or as weekday numbers (Monday is 0).

    Accepted: a date (``2026-12-04``), ``daily``, a day (``fri``), a range (``mon-fri``) or a
    list of those (``mon,wed,fri-sat``).
    """
    rule = rule.strip().lower()
    if rule[:1].isdigit():
        try:
            return date.fromisoformat(rule)
        except ValueError:
            raise ValueError(f"{rule!r} is not a date; write it as 2026-12-04") from None
    if rule in ("daily", "*"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in rule.split(","):
        first, _, last = part.strip().partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise ValueError(
                f"{part.strip()!r} is not a day: use mon, tue, wed, thu, fri, sat, sun, a range "
                "such as mon-fri, daily, or a date such as 2026-12-04"
            )
        start = WEEKDAYS.index(first)
        end = WEEKDAYS.index(last) if last else start
        days.update(range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)])
    return frozenset(days)


class Once(Model):
    """At one moment, the same for everyone."""

    kind: Literal["once"] = "once"
    at: AwareDatetime


class Recurring(Model):
    """On a cron rule, read in one time zone, the same moment for everyone."""

    kind: Literal["recurring"] = "recurring"
    cron: Annotated[str, Field(min_length=9, max_length=100)]
    """A five-field cron expression, such as '0 10 * * fri'."""
    timezone: TimeZone = "UTC"

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, cron: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        if len(cron.split()) != 5:
            raise ValueError(
                f"{cron!r} is not a five-field cron expression (minute hour day month weekday)"
            )
        try:
            CronTrigger.from_crontab(cron)
        except ValueError as error:
            raise ValueError(f"{cron!r} is not a valid cron expression: {error}") from None
        return cron


class LocalTime(Model):
    """At a local hour in each target city, on one date or on days of the week."""

    kind: Literal["local"] = "local"
    at: time
    day: Annotated[str, Field(min_length=1, max_length=100)]
    """A date (2026-12-04), or days of the week (fri, mon-fri, daily)."""

    @field_validator("day")
    @classmethod
    def _day_rule(cls, day: str) -> str:
        parse_days(day)
        return day.strip().lower()

    def days(self) -> date | frozenset[int]:
        return parse_days(self.day)


Schedule = Annotated[Once | Recurring | LocalTime, Field(discriminator="kind")]


class QuietHours(Model):
    """Local hours in which nothing is posted; a delivery falling in them waits for `end`."""

    start: time
    end: time

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("quiet hours start and end at the same time; give two times")
        return self

    def holds(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


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
    quiet_hours: QuietHours | None = None
    skip_weekends: bool = False
    """Skip a delivery on a weekend day of the city's country (Friday–Saturday in some)."""
    skip_holidays: bool = False
    """Skip a delivery on a public holiday of the city's country (the `holidays` package)."""
    created_by: str | None = None
    created_at: AwareDatetime | None = None

    @property
    def local(self) -> bool:
        """Whether each city gets it at its own local hour."""
        return isinstance(self.schedule, LocalTime)


def describe(schedule: Once | Recurring | LocalTime) -> str:
    """The schedule in a few words, for lists and previews."""
    if isinstance(schedule, Once):
        return f"once at {schedule.at.isoformat(timespec='minutes')}"
    if isinstance(schedule, Recurring):
        return f"cron {schedule.cron!r} ({schedule.timezone})"
    return f"{schedule.at.strftime('%H:%M')} local time, {schedule.day}"
