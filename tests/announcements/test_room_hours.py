"""A room standing for cities in several time zones: the local hour of most of its cities."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from tests.announcements.conftest import Desk, config_for, friday_ten
from uccn_sdk.announcements.plan import RoomZone, TimedFor
from uccn_sdk.announcements.repository import QUEUED, DeliveryRecord
from uccn_sdk.announcements.service import Announcements
from uccn_sdk.announcements.texts import preview_lines
from uccn_sdk.models import Audience, LocalTime, Once, QuietHours

ZONES = {
    "America/Bogota": ("bogota", "CO", 4),
    "Europe/Berlin": ("berlin", "DE", 3),
    "Europe/Madrid": ("madrid", "ES", 3),
    "Europe/Paris": ("paris", "FR", 3),
    "Europe/Rome": ("rome", "IT", 3),
}
"""12 cities on UTC+1 (UTC+2 in summer) under four names, 4 under the most common name."""


def field_room(desk: Desk) -> tuple[Announcements, Audience]:
    """The service with one room for the field's 16 cities, and an audience of them all."""
    ids = []
    with desk.store.begin() as tx:
        toulouse = tx.cities.require("toulouse")
        for zone, (name, country, count) in ZONES.items():
            for n in range(1, count + 1):
                city = f"{name}-{n}"
                ids.append(city)
                tx.cities.put(
                    toulouse.model_copy(
                        update={"id": city, "name": city, "timezone": zone, "country": country}
                    )
                )
    config = config_for([])
    config.rooms["matrix"].fields["music"] = "!music"
    return Announcements(desk.store, config, desk.clock), Audience(cities=ids)


def test_a_field_room_gets_the_hour_of_the_offset_most_of_its_cities_hold(desk: Desk) -> None:
    service, audience = field_room(desk)
    preview = service.schedule(
        friday_ten(audience=audience, schedule=LocalTime(at=time(10), day="fri"))
    )
    (delivery,) = preview.deliveries
    assert delivery.due == datetime(2026, 11, 27, 9, tzinfo=UTC)  # 10:00 in Paris, not Bogota
    assert (
        "matrix !music (berlin-1, berlin-2, berlin-3 …): Fri 2026-11-27 10:00 UTC+01:00 for 12 "
        "of 16 cities = 2026-11-27 09:00 UTC"
    ) in preview_lines(preview, "en")
    desk.clock.at(datetime(2026, 11, 27, 9, 0, 1, tzinfo=UTC))
    assert service.fire("music-day").queued == 1
    desk.clock.at(datetime(2026, 11, 27, 15, 0, 1, tzinfo=UTC))  # 10:00 in Bogota
    service.replan()
    assert service.fire("music-day").queued == 0
    assert [p.key for p in desk.posts()] == ["announce:music-day:matrix:!music:2026-11-27"]


def test_in_summer_the_hour_follows_daylight_saving_with_the_same_occurrences(
    desk: Desk,
) -> None:
    service, audience = field_room(desk)
    desk.clock.at(datetime(2027, 6, 1, tzinfo=UTC))
    summer = service.preview(
        friday_ten(audience=audience, schedule=LocalTime(at=time(10), day="fri"))
    )
    (delivery,) = summer.deliveries
    assert delivery.due == datetime(2027, 6, 4, 8, tzinfo=UTC)  # UTC+2: 08:00 UTC
    assert "Fri 2027-06-04 10:00 UTC+02:00 for 12 of 16 cities" in preview_lines(summer, "en")[1]
    start = datetime(2027, 3, 26, tzinfo=UTC)  # Europe goes to summer time on Sunday the 28th
    desk.clock.at(start)
    service.schedule(friday_ten(audience=audience, schedule=LocalTime(at=time(10), day="daily")))
    for hour in range(4 * 24):
        desk.clock.at(start + timedelta(hours=hour, seconds=1))
        service.fire("music-day")
        if hour % 24 == 12:
            service.replan()
    due = {r.occurrence: r.due.hour for r in service.deliveries("music-day")}
    assert due == {"2027-03-26": 9, "2027-03-27": 9, "2027-03-28": 8, "2027-03-29": 8}
    assert len(desk.posts()) == 4


def test_a_delivery_recorded_before_is_not_posted_again(desk: Desk) -> None:
    service, audience = field_room(desk)
    service.schedule(friday_ten(audience=audience))
    at_bogota_ten = datetime(2026, 11, 27, 15, tzinfo=UTC)
    with desk.store.begin() as tx:
        tx.deliveries.record(
            [
                DeliveryRecord(
                    "music-day", "matrix", "!music", "2026-11-27", at_bogota_ten, QUEUED, None
                )
            ]
        )
    desk.clock.at(datetime(2026, 11, 27, 9, 0, 1, tzinfo=UTC))
    assert service.fire("music-day").queued == 0


def test_quiet_hours_are_those_of_the_offset_most_of_the_cities_hold(desk: Desk) -> None:
    service, audience = field_room(desk)
    late = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # 22:30 in Paris, 16:30 in Bogota
    preview = service.preview(
        friday_ten(
            audience=audience,
            schedule=Once(at=late),
            quiet_hours=QuietHours(start=time(22), end=time(8)),
        )
    )
    (delivery,) = preview.deliveries
    assert delivery.due == datetime(2026, 11, 28, 7, tzinfo=UTC)  # 08:00 in Paris


def test_a_room_of_one_city_keeps_its_zone(desk: Desk) -> None:
    preview = desk.service.preview(friday_ten(audience=Audience(cities=["toulouse", "bogota"])))
    lines = preview_lines(preview, "en")
    assert (
        "matrix !bogota (bogota): Fri 2026-11-27 10:00 America/Bogota = 2026-11-27 15:00 UTC"
        in (lines)
    )


def test_on_a_tie_the_earliest_hour_then_the_most_used_zone_name() -> None:
    zone = RoomZone((("America/Bogota", 2), ("Europe/Paris", 1), ("Europe/Rome", 1)))
    instant, timed_for = zone.on(date(2026, 11, 27), LocalTime(at=time(10), day="fri"))
    assert instant == datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert timed_for == TimedFor("Europe/Paris", timedelta(hours=1), 2)
    assert zone.at(instant) == TimedFor("America/Bogota", timedelta(hours=-5), 2)
