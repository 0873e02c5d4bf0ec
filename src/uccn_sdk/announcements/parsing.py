"""Announcements written as text, the same way on the command line and in chat.

``when`` is one of:

- ``2026-12-04T10:00+01:00`` — once, at that moment (the offset is required);
- ``fri 10:00 local``, ``mon-fri 09:30 local``, ``2026-12-04 10:00 local`` — at that hour
  in each city's own time zone;
- ``cron 0 10 * * fri`` — on a cron rule, read in ``tz`` (default UTC).

``quiet`` is a span of local hours such as ``21:00-08:00``; ``skip`` names ``weekends``
and/or ``holidays``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from uccn_sdk.errors import NotValid, UccnError
from uccn_sdk.messages import N_
from uccn_sdk.models import (
    Announcement,
    Audience,
    LocalTime,
    Once,
    QuietHours,
    Recurring,
    Schedule,
)

SKIPPABLE = ("weekends", "holidays")
"""What ``skip`` can name (the message refusing another word names them too)."""


def parse_when(when: str, tz: str | None = None) -> dict[str, Any]:
    """The schedule `when` describes, as data for the Announcement model."""
    text = " ".join(when.split())
    if not text:
        raise UccnError(N_("say when: a moment with its offset, '<days> HH:MM local', or 'cron …'"))
    if text.lower().startswith("cron "):
        return {"kind": "recurring", "cron": text[5:].strip(), "timezone": tz or "UTC"}
    if text.lower().endswith(" local"):
        day, _, clock = text[: -len(" local")].rpartition(" ")
        return {"kind": "local", "day": day or "daily", "at": _clock(clock)}
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UccnError(
            N_(
                "{when} is not a moment I can read: write 2026-12-04T10:00+01:00, "
                "'fri 10:00 local' or 'cron 0 10 * * fri'"
            ),
            when=repr(when),
        ) from None
    if moment.tzinfo is None:
        raise UccnError(
            N_(
                "{when} has no UTC offset: add one (2026-12-04T10:00+01:00), or add ' local' "
                "to mean each city's own hour"
            ),
            when=repr(when),
        )
    return {"kind": "once", "at": moment}


def parse_schedule(when: str, tz: str | None = None) -> Once | Recurring | LocalTime:
    """The schedule `when` describes, checked; UccnError says what is wrong."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(Schedule).validate_python(parse_when(when, tz))
    except ValidationError as error:
        raise NotValid(error) from None


def parse_quiet(span: str) -> dict[str, time]:
    start, sep, end = span.partition("-")
    if not sep:
        raise UccnError(N_("quiet hours {span} should read like 21:00-08:00"), span=repr(span))
    return {"start": _clock(start), "end": _clock(end)}


def parse_quiet_hours(span: str) -> QuietHours:
    """The quiet hours `span` describes, checked; UccnError says what is wrong."""
    from pydantic import ValidationError

    try:
        return QuietHours.model_validate(parse_quiet(span))
    except ValidationError as error:
        raise NotValid(error) from None


def parse_skip(words: Iterable[str]) -> dict[str, bool]:
    found: dict[str, bool] = {}
    for word in words:
        word = word.strip().lower()
        if not word:
            continue
        if word not in SKIPPABLE:
            raise UccnError(
                N_("skip {word}? Only weekends and holidays can be skipped"), word=repr(word)
            )
        found[f"skip_{word}"] = True
    return found


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise UccnError(
            N_("{text} is not a time of day; write it as 10:00"), text=repr(text.strip())
        ) from None


def build(
    announcement_id: str,
    text: str,
    *,
    when: str,
    audience: Audience,
    tz: str | None = None,
    quiet: str | None = None,
    skip: Iterable[str] = (),
    created_by: str | None = None,
) -> Announcement:
    """An announcement from its written parts; UccnError says what is wrong."""
    from pydantic import ValidationError

    data: dict[str, Any] = {
        "id": announcement_id,
        "text": text.strip(),
        "audience": audience,
        "schedule": parse_when(when, tz),
        "created_by": created_by,
        **parse_skip(skip),
    }
    if quiet:
        data["quiet_hours"] = parse_quiet(quiet)
    try:
        return Announcement.model_validate(data)
    except ValidationError as error:
        raise NotValid(error) from None
