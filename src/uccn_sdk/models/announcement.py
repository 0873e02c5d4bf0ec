"""Announcements the Secretariat schedules for an audience."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_, say, speaking, spoken_locale
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
            raise Invalid(
                N_("{rule} is not a date; write it as 2026-12-04"), rule=repr(rule)
            ) from None
    if rule in ("daily", "*"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in rule.split(","):
        first, _, last = part.strip().partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise Invalid(
                N_(
                    "{part} is not a day: use mon, tue, wed, thu, fri, sat, sun, a range "
                    "such as mon-fri, daily, or a date such as 2026-12-04"
                ),
                part=repr(part.strip()),
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
            raise Invalid(
                N_("{cron} is not a five-field cron expression (minute hour day month weekday)"),
                cron=repr(cron),
            )
        try:
            CronTrigger.from_crontab(cron)
        except ValueError as error:
            raise Invalid(
                N_("{cron} is not a valid cron expression: {error}"),
                cron=repr(cron),
                error=str(error),  # apscheduler's words, in English
            ) from None
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
            raise Invalid(N_("quiet hours start and end at the same time; give two times"))
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


def describe(schedule: Once | Recurring | LocalTime, language: str = "en") -> str:
    """The schedule in a few words, for lists and previews, in `language` (English for the
    command line): "10:00 local time, sat" in English, "10:00 heure locale, sam." in French.
    English keeps a day rule as it is written."""
    with speaking(language):
        if isinstance(schedule, Once):
            return say(N_("once at {moment}"), moment=schedule.at.isoformat(timespec="minutes"))
        if isinstance(schedule, Recurring):
            return say(N_("cron {rule} ({zone})"), rule=repr(schedule.cron), zone=schedule.timezone)
        days = schedule.day if spoken_locale().language == "en" else _days_said(schedule.day)
        return say(N_("{time} local time, {days}"), time=schedule.at.strftime("%H:%M"), days=days)


def _days_said(rule: str) -> str:
    """A day rule with the weekdays named in the language spoken (``sam.``); a range of days
    joins its ends with an en dash."""
    if rule[:1].isdigit():
        return rule  # a date, as ISO
    if rule in ("daily", "*"):
        return say(N_("daily"))
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=spoken_locale())
    parts = []
    for part in rule.split(","):
        first, _, last = part.strip().partition("-")
        said = names[WEEKDAYS.index(first)]
        parts.append(f"{said}–{names[WEEKDAYS.index(last)]}" if last else said)
    return ", ".join(parts)
