"""Who gets an announcement where and when: the rooms it reaches and each delivery's moment.

A delivery is one post in one room for one occurrence. A city's own room takes the city's
time zone and country. A room standing for several cities (a field's sub-network room)
gets one post per occurrence, at the local hour of most of its cities, and skips a day only
when that day is off in every one of its cities' countries.

Most of its cities are counted by the UTC offset they hold on the day, daylight saving
included, not by the name of their time zone: Europe/Paris, Europe/Rome and Europe/Berlin
are one hour. A local hour ("fri 10:00 local") is posted when it is that hour in the most
cities on that date (the earliest such moment on a tie); a fixed moment keeps the quiet
hours and days off of the offset most of them hold then (on a tie, the offset of the most
used zone name). An occurrence is named by its
date or moment, never by the offset chosen, so its delivery key stays the same whenever
it is planned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from uccn_sdk.announcements import calendar, timing
from uccn_sdk.announcements.phrases import HELD_TOGETHER, UNKNOWN_ZONE, Phrase
from uccn_sdk.audience import rooms_for
from uccn_sdk.config import NetworkConfig
from uccn_sdk.models import Announcement, City
from uccn_sdk.models.announcement import LocalTime

TIMING_RULE = 2
"""The rule timing a room of several cities (see the module); when it changes, the scheduler
plans every announcement again (see `Announcements.basis`)."""


@dataclass(frozen=True)
class TimedFor:
    """The time zone a delivery is timed in, and how many of the room's cities it suits."""

    zone: str
    """The most used zone name among the cities holding `offset`."""
    offset: timedelta
    cities: int
    """How many of the room's cities hold `offset` then."""


@dataclass(frozen=True)
class RoomZone:
    """The time zones of a room's cities, each with how many of them use it, most used first."""

    counts: tuple[tuple[str, int], ...]

    def on(self, day: date, schedule: LocalTime) -> tuple[datetime, TimedFor]:
        """When the schedule's hour of `day` comes for most of the room's cities."""
        return self._most(lambda tz: timing.local_instant(day, schedule, tz))

    def at(self, instant: datetime) -> TimedFor:
        """The zone the room reads `instant` in: the offset most of its cities hold then."""
        return self._most(lambda _tz: instant)[1]

    def _most(self, moment: Callable[[ZoneInfo], datetime]) -> tuple[datetime, TimedFor]:
        held: dict[tuple[datetime, timedelta], list[tuple[str, int]]] = {}
        for name, count in self.counts:
            tz = timing.zone(name)
            instant = moment(tz)
            offset = instant.astimezone(tz).utcoffset() or timedelta(0)
            held.setdefault((instant, offset), []).append((name, count))
        cities = {key: sum(count for _, count in zones) for key, zones in held.items()}
        # On a tie, the earliest moment, then the one of the most used zone name (seen first).
        chosen = min(cities, key=lambda key: (-cities[key], key[0]))
        return chosen[0], TimedFor(held[chosen][0][0], chosen[1], cities[chosen])


@dataclass(frozen=True)
class Slot:
    """One room an announcement reaches, with the time zones and countries it is read in."""

    platform: str
    room: str
    zone: RoomZone | None
    countries: tuple[str, ...]
    cities: tuple[str, ...]


@dataclass(frozen=True)
class Delivery:
    slot: Slot
    occurrence: str
    due: datetime
    """When it is posted, in UTC."""
    skipped: Phrase | None = None
    """Why it is not posted ("weekend", "holiday: …", unknown zone), or None; ``str()`` of it
    is the English its record keeps."""
    timed_for: TimedFor | None = None
    """The zone it is timed in; None when the room's time zone is unknown."""

    def key(self, announcement: str) -> str:
        """The outbox key: one post per announcement, room and occurrence, ever."""
        return delivery_key(announcement, self.slot.platform, self.slot.room, self.occurrence)

    @property
    def local(self) -> datetime | None:
        if self.timed_for is None:
            return None
        return self.due.astimezone(timing.zone(self.timed_for.zone))


def slots(config: NetworkConfig, cities: Iterable[City]) -> tuple[list[Slot], list[str]]:
    """The rooms reaching `cities`, and the ids of the cities no room reaches."""
    by_id = {c.id: c for c in cities}
    targets, unreached = rooms_for(config, by_id.values())
    found = []
    for target in targets:
        members = [by_id[c] for c in target.cities]
        zones = Counter(c.timezone for c in members if c.timezone)
        # most_common keeps first-seen order among equals; members are sorted by id.
        zone = RoomZone(tuple(zones.most_common())) if zones else None
        countries = tuple(sorted({c.country for c in members}))
        found.append(Slot(target.platform, target.room, zone, countries, target.cities))
    return found, unreached


def _day_off(
    announcement: Announcement, slot: Slot, due: datetime, timed_for: TimedFor | None
) -> Phrase | None:
    if not (announcement.skip_weekends or announcement.skip_holidays) or timed_for is None:
        return None
    day = due.astimezone(timing.zone(timed_for.zone)).date()
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


def _occurrences(
    announcement: Announcement, zone: RoomZone | None, after: datetime
) -> Iterator[tuple[str, datetime, TimedFor | None]]:
    """(occurrence id, UTC instant, zone timed for) of every occurrence after `after`."""
    schedule = announcement.schedule
    if zone is None:
        for occurrence, instant in timing.occurrences(schedule, "UTC", after):
            yield occurrence, instant, None
    elif isinstance(schedule, LocalTime):
        for day in timing.local_days(schedule, after):
            instant, timed_for = zone.on(day, schedule)
            if instant > after:
                yield day.isoformat(), instant, timed_for
    else:
        for occurrence, instant in timing.occurrences(schedule, None, after):
            yield occurrence, instant, zone.at(instant)


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
    for occurrence, instant, timed_for in _occurrences(announcement, slot.zone, start):
        due = instant
        if not announcement.local and timed_for is not None:
            due = timing.outside_quiet(instant, timed_for.zone, announcement.quiet_hours)
        if due <= after:
            continue
        skipped = UNKNOWN_ZONE if unknown else _day_off(announcement, slot, due, timed_for)
        delivery = Delivery(slot, occurrence, due, skipped, timed_for)
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
    announcement: Announcement, zones: Iterable[RoomZone | None], after: datetime
) -> datetime | None:
    """The first moment after `after` at which a delivery falls due in any of `zones`."""
    best: datetime | None = None
    for zone in set(zones):
        first = next(slot_deliveries(announcement, Slot("", "", zone, (), ()), after), None)
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
