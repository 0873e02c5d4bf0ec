"""Announcements as the Secretariat reads them: previews and delivery reports."""

from __future__ import annotations

from uccn_sdk.announcements.service import Preview
from uccn_sdk.messages import translate as _
from uccn_sdk.models.announcement import describe


def preview_lines(preview: Preview, language: str, limit: int | None = None) -> list[str]:
    """One line per room: where, for which cities, at what local and UTC time."""
    announcement = preview.announcement
    schedule = describe(announcement.schedule)
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
        local = delivery.local
        when_local = f"{local:%a %Y-%m-%d %H:%M} {slot.zone}" if local else "?"
        cities = ", ".join(slot.cities[:3]) + (" …" if len(slot.cities) > 3 else "")
        line = (
            f"{slot.platform} {slot.room} ({cities}): {when_local} = "
            f"{delivery.due:%Y-%m-%d %H:%M} UTC"
        )
        if delivery.skipped:
            line += " — " + _(language, "skipped: {reason}", reason=delivery.skipped)
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


SHOWN = 20
"""How many names a preview line shows; the line counts them all."""


def _shown(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" (+{len(names) - SHOWN})" if len(names) > SHOWN else "")
