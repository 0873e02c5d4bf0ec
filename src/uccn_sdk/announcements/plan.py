"""Who gets an announcement where and when: the rooms it reaches and each delivery's moment.

A delivery is one post in one room for one occurrence. A city's own room takes the city's
time zone and country. A room standing for several cities (a field's sub-network room)
gets one post per occurrence, at the local hour of most of its cities, and skips a day only
when that day is off in every one of its cities' countries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from uccn_sdk.announcements import calendar, timing
from uccn_sdk.audience import rooms_for
from uccn_sdk.config import NetworkConfig
from uccn_sdk.models import Announcement, City

UNKNOWN_ZONE = "the city's time zone is unknown"
HELD_TOGETHER = "held by the quiet hours with a later occurrence, posted once at their end"


@dataclass(frozen=True)
class Slot:
    """One room an announcement reaches, with the time zone and countries it is read in."""

    platform: str
    room: str
    zone: str | None
    countries: tuple[str, ...]
    cities: tuple[str, ...]


@dataclass(frozen=True)
class Delivery:
    slot: Slot
    occurrence: str
    due: datetime
    """When it is posted, in UTC."""
    skipped: str | None = None
    """Why it is not posted ("weekend", "holiday: …", unknown zone), or None."""

    def key(self, announcement: str) -> str:
        """The outbox key: one post per announcement, room and occurrence, ever."""
        return delivery_key(announcement, self.slot.platform, self.slot.room, self.occurrence)

    @property
    def local(self) -> datetime | None:
        return self.due.astimezone(timing.zone(self.slot.zone)) if self.slot.zone else None


def slots(config: NetworkConfig, cities: Iterable[City]) -> tuple[list[Slot], list[str]]:
    """The rooms reaching `cities`, and the ids of the cities no room reaches."""
    by_id = {c.id: c for c in cities}
    targets, unreached = rooms_for(config, by_id.values())
    found = []
    for target in targets:
        members = [by_id[c] for c in target.cities]
        zones = Counter(c.timezone for c in members if c.timezone)
        # most_common keeps first-seen order among equals; members are sorted by id.
        zone = zones.most_common(1)[0][0] if zones else None
        countries = tuple(sorted({c.country for c in members}))
        found.append(Slot(target.platform, target.room, zone, countries, target.cities))
    return found, unreached


def _day_off(announcement: Announcement, slot: Slot, due: datetime) -> str | None:
    if not (announcement.skip_weekends or announcement.skip_holidays) or slot.zone is None:
        return None
    day = due.astimezone(timing.zone(slot.zone)).date()
    reasons = [
        calendar.day_off(
            country,
            day,
            weekends=announcement.skip_weekends,
            holidays=announcement.skip_holidays,
        )
        for country in slot.countries
    ]
    if reasons and all(reasons):
        return reasons[0]
    return None


def slot_deliveries(announcement: Announcement, slot: Slot, after: datetime) -> Iterator[Delivery]:
    """The slot's deliveries due strictly after `after`, in order.

    A local-time delivery to a room whose time zone is unknown is timed in UTC and marked
    skipped: it is reported, never posted at a guessed hour.
    """
    unknown = announcement.local and slot.zone is None
    # Quiet hours can only push a delivery later, never past the next day: look one day back.
    start = after - timedelta(days=1) if announcement.quiet_hours else after
    # Occurrences the quiet hours push to the same moment make one post, the latest: the
    # others are recorded as skipped. So each delivery waits for the next to be known.
    held: Delivery | None = None
    for occurrence, instant in timing.occurrences(announcement.schedule, slot.zone or "UTC", start):
        due = instant
        if not announcement.local:
            due = timing.outside_quiet(instant, slot.zone, announcement.quiet_hours)
        if due <= after:
            continue
        skipped = UNKNOWN_ZONE if unknown else _day_off(announcement, slot, due)
        delivery = Delivery(slot, occurrence, due, skipped)
        if held is not None:
            together = held.due == due and held.skipped is None
            yield replace(held, skipped=HELD_TOGETHER) if together else held
        held = delivery
    if held is not None:
        yield held


def due_between(
    announcement: Announcement, slots: Iterable[Slot], after: datetime, until: datetime
) -> list[Delivery]:
    """Every delivery due in (after, until], in the order due."""
    found: list[Delivery] = []
    for slot in slots:
        for delivery in slot_deliveries(announcement, slot, after):
            if delivery.due > until:
                break
            found.append(delivery)
    return sorted(found, key=lambda d: (d.due, d.slot.platform, d.slot.room))


def next_due(
    announcement: Announcement, zones: Iterable[str | None], after: datetime
) -> datetime | None:
    """The first moment after `after` at which a delivery falls due in any of `zones`."""
    best: datetime | None = None
    for zone_name in set(zones):
        first = next(slot_deliveries(announcement, Slot("", "", zone_name, (), ()), after), None)
        if first is not None and (best is None or first.due < best):
            best = first.due
    return best


def next_round(
    announcement: Announcement, slots: Iterable[Slot], after: datetime
) -> list[Delivery]:
    """Each slot's next delivery after `after`: what a preview shows."""
    found = [
        first
        for slot in slots
        if (first := next(slot_deliveries(announcement, slot, after), None)) is not None
    ]
    return sorted(found, key=lambda d: (d.due, d.slot.platform, d.slot.room))


def delivery_key(announcement: str, platform: str, room: str, occurrence: str) -> str:
    """The outbox key of one delivery: one post per announcement, room and occurrence, ever."""
    return f"announce:{announcement}:{platform}:{room}:{occurrence}"
