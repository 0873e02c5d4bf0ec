"""When a schedule falls due in one time zone: dates, daylight saving, quiet hours.

Daylight saving, as documented for the Secretariat: a local hour that does not exist on
the day the clocks go forward is posted that much later (02:30 becomes 03:30); a local
hour that happens twice when the clocks go back is posted at the first of the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from uccn_sdk.models.announcement import LocalTime, Once, QuietHours, Recurring

Schedule = Once | Recurring | LocalTime

MAX_STEPS = 5_000
"""How many occurrences a search looks through before it gives up."""


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_instant(day: date, schedule: LocalTime, tz: ZoneInfo) -> datetime:
    """The UTC instant of the schedule's hour on `day` in `tz` (see the module's DST rule)."""
    wall = datetime.combine(day, schedule.at, tzinfo=tz)  # fold=0: first of two, or shifted
    return wall.astimezone(UTC)


def occurrences(
    schedule: Schedule, tz_name: str | None, after: datetime
) -> Iterator[tuple[str, datetime]]:
    """(occurrence id, UTC instant) of every occurrence strictly after `after`, in order.

    A local-time schedule needs the zone; without one it has no occurrences. The id names
    the occurrence the same way however often it is computed: "once", the local date, or
    the cron rule's local wall time.
    """
    if isinstance(schedule, Once):
        if schedule.at > after:
            yield "once", schedule.at.astimezone(UTC)
        return
    if isinstance(schedule, Recurring):
        yield from _cron(schedule, after)
        return
    if tz_name is None:
        return
    tz = zone(tz_name)
    for day in local_days(schedule, after):
        instant = local_instant(day, schedule, tz)
        if instant > after:
            yield day.isoformat(), instant


def local_days(schedule: LocalTime, after: datetime) -> Iterator[date]:
    """The schedule's days, in order, from the first whose hour may come after `after` in
    some time zone: the local date names the occurrence wherever it is posted."""
    days = schedule.days()
    if isinstance(days, date):
        yield days
        return
    if not days:
        return
    day = after.astimezone(UTC).date() - timedelta(days=2)
    for _ in range(MAX_STEPS):
        if day.weekday() in days:
            yield day
        day += timedelta(days=1)


def _cron(schedule: Recurring, after: datetime) -> Iterator[tuple[str, datetime]]:
    from apscheduler.triggers.cron import CronTrigger

    tz = zone(schedule.timezone)
    trigger = CronTrigger.from_crontab(schedule.cron, timezone=tz)
    previous: datetime | None = None
    now = (after.astimezone(UTC) + timedelta(microseconds=1)).astimezone(tz)
    seen: set[str] = set()
    for _ in range(MAX_STEPS):
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None:
            return
        # The wall time names the occurrence: an hour repeated when clocks go back is one.
        name = fire.replace(tzinfo=None).isoformat(timespec="minutes")
        if name not in seen:
            seen.add(name)
            yield name, fire.astimezone(UTC)
        # Step in UTC: aware arithmetic in the zone is wall-clock and loops at a fold.
        previous, now = fire, (fire.astimezone(UTC) + timedelta(seconds=1)).astimezone(tz)


def outside_quiet(instant: datetime, tz_name: str | None, quiet: QuietHours | None) -> datetime:
    """`instant`, or the end of the quiet hours it falls in, local to `tz_name`."""
    if quiet is None or tz_name is None:
        return instant
    tz = zone(tz_name)
    local = instant.astimezone(tz)
    if not quiet.holds(local.time()):
        return instant
    end = datetime.combine(local.date(), quiet.end, tzinfo=tz)
    if end.astimezone(UTC) <= instant:
        end = datetime.combine(local.date() + timedelta(days=1), quiet.end, tzinfo=tz)
    return end.astimezone(UTC)
