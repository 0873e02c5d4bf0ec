"""Announcements as the Secretariat reads them: previews and delivery reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from uccn_sdk.announcements.plan import Delivery
from uccn_sdk.announcements.service import Preview
from uccn_sdk.messages import speaking, spoken_locale
from uccn_sdk.messages import translate as _
from uccn_sdk.models.announcement import describe


def preview_lines(preview: Preview, language: str, limit: int | None = None) -> list[str]:
    """One line per room: where, for which cities, at what local and UTC time; all of it in
    `language`, but for names (rooms, cities, time zones, a holiday's)."""
    announcement = preview.announcement
    schedule = describe(announcement.schedule, language)
    lines = [
        _(language, "{id}: {schedule}, to 1 room.", id=announcement.id, schedule=schedule)
        if len(preview.slots) == 1
        else _(
            language,
            "{id}: {schedule}, to {rooms} rooms.",
            id=announcement.id,
            schedule=schedule,
            rooms=len(preview.slots),
        )
    ]
    shown = preview.deliveries if limit is None else preview.deliveries[:limit]
    for delivery in shown:
        slot = delivery.slot
        cities = ", ".join(slot.cities[:3]) + (" …" if len(slot.cities) > 3 else "")
        line = _(
            language,
            "{platform} {room} ({cities}): {local} = {utc} UTC",
            platform=slot.platform,
            room=slot.room,
            cities=cities,
            local=_when_local(delivery, language),
            utc=delivery.due.strftime("%Y-%m-%d %H:%M"),
        )
        if delivery.skipped:
            reason = delivery.skipped.said(language)
            line += " — " + _(language, "skipped: {reason}", reason=reason)
        lines.append(line)
    if len(shown) < len(preview.deliveries):
        lines.append(_(language, "… and {count} more.", count=len(preview.deliveries) - len(shown)))
    delivered = {delivery.slot for delivery in preview.deliveries}
    if passed := [slot.room for slot in preview.slots if slot not in delivered]:
        # A date at a local hour that has come and gone in these rooms' time zones.
        lines.append(
            _(
                language,
                "The moment has passed in 1 room, which does not get it: {rooms}",
                rooms=passed[0],
            )
            if len(passed) == 1
            else _(
                language,
                "The moment has passed in {count} rooms, which do not get it: {rooms}",
                count=len(passed),
                rooms=_shown(passed),
            )
        )
    if preview.unreached:
        lines.append(
            _(
                language,
                "No room reaches {count} cities: {cities}",
                count=len(preview.unreached),
                cities=_shown(preview.unreached),
            )
        )
    if preview.unknown_zone:
        lines.append(
            _(
                language,
                "Time zone unknown for {count} cities (not sent at a local hour): {cities}",
                count=len(preview.unknown_zone),
                cities=_shown(preview.unknown_zone),
            )
        )
    return lines


def _when_local(delivery: Delivery, language: str) -> str:
    """The local time of a city's room in its zone; of a room of several cities, in the UTC
    offset it was timed for, with how many of them hold it."""
    local, timed_for, cities = delivery.local, delivery.timed_for, len(delivery.slot.cities)
    if local is None or timed_for is None:
        return "?"
    zone = timed_for.zone
    if cities > 1:
        zone = _(
            language,
            "{offset} for {count} of {total} cities",
            offset=_utc(timed_for.offset),
            count=timed_for.cities,
            total=cities,
        )
    return f"{_weekday(local, language)} {local:%Y-%m-%d %H:%M} {zone}"


def _weekday(moment: datetime, language: str) -> str:
    """The day of the week, abbreviated in `language` ("Sat", "sam."); in English when
    nothing is translated into `language`, as the rest of the line."""
    from babel.dates import format_date

    with speaking(language):
        return format_date(moment, "EEE", locale=spoken_locale())


def _utc(offset: timedelta) -> str:
    hours, minutes = divmod(round(abs(offset).total_seconds()) // 60, 60)
    return f"UTC{'-' if offset < timedelta(0) else '+'}{hours:02d}:{minutes:02d}"


SHOWN = 20
"""How many names a preview line shows; the line counts them all."""


def _shown(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" (+{len(names) - SHOWN})" if len(names) > SHOWN else "")
