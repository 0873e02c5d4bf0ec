"""Scheduling announcements: preview, firing once per room and occurrence, errors."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from tests.announcements.conftest import START, Desk, friday_ten
from uccn_sdk.announcements.service import AnnouncementError
from uccn_sdk.announcements.texts import preview_lines
from uccn_sdk.models import AnnouncementState, Audience, LocalTime, Once, QuietHours, Recurring

FRIDAY = datetime(2026, 11, 27, tzinfo=UTC)


def test_the_preview_shows_each_city_its_own_local_hour(desk: Desk) -> None:
    preview = desk.service.preview(friday_ten())
    by_room = {d.slot.room: d for d in preview.deliveries}
    assert len(by_room) == len(desk.music) == 84
    assert {d.local.strftime("%Y-%m-%d %H:%M") for d in preview.deliveries if d.local} == {
        "2026-11-27 10:00"
    }
    assert by_room["!abu-dhabi"].due == FRIDAY.replace(hour=6)
    assert by_room["!kansas-city"].due == FRIDAY.replace(hour=16)
    assert by_room["!auckland"].due == datetime(2026, 11, 26, 21, tzinfo=UTC)
    assert preview.deliveries[0].slot.room == "!auckland"  # in the order due
    assert preview.unreached == [] and preview.unknown_zone == []
    assert desk.posts() == []  # a preview changes nothing


def test_each_room_gets_it_once_at_its_own_hour(desk: Desk) -> None:
    desk.service.schedule(friday_ten())
    desk.clock.at(FRIDAY.replace(hour=6, second=1))  # 10:00 in Abu Dhabi
    desk.service.fire("music-day")
    rooms = {row.room for row in desk.posts()}
    assert "!abu-dhabi" in rooms and "!toulouse" not in rooms and "!kansas-city" not in rooms
    assert desk.service.fire("music-day").queued == 0  # firing again adds nothing
    desk.clock.at(FRIDAY.replace(hour=9, second=1))  # 10:00 in Toulouse and Metz
    desk.service.fire("music-day")
    assert {"!toulouse", "!metz"} <= {row.room for row in desk.posts()}


def test_a_day_of_firing_every_quarter_hour_posts_to_every_room_once(desk: Desk) -> None:
    desk.service.schedule(friday_ten())
    moment = FRIDAY - timedelta(hours=12)
    while moment < FRIDAY + timedelta(days=1):
        desk.clock.at(moment + timedelta(seconds=1))
        desk.service.fire("music-day")
        moment += timedelta(minutes=15)
    posts = desk.posts()
    assert len(posts) == 84 and len({p.room for p in posts}) == 84
    assert "@room" not in posts[0].message.text  # type: ignore[union-attr]
    assert desk.service.get("music-day").announcement.state is AnnouncementState.DONE


def test_after_downtime_a_delivery_within_grace_is_sent_once_and_a_later_one_reported_missed(
    desk: Desk,
) -> None:
    desk.service.schedule(friday_ten(audience=Audience(cities=["toulouse", "abu-dhabi"])))
    desk.clock.at(FRIDAY.replace(hour=9, minute=10))  # Toulouse 10:10, Abu Dhabi 13:10
    fired = desk.service.fire("music-day")
    assert (fired.queued, fired.missed) == (1, 1)
    assert [p.room for p in desk.posts()] == ["!toulouse"]
    records = {r.room: r for r in desk.service.deliveries("music-day")}
    assert records["!abu-dhabi"].status == "missed" and "past the grace" in (
        records["!abu-dhabi"].reason or ""
    )
    desk.clock.at(FRIDAY.replace(hour=9, minute=11))
    assert desk.service.fire("music-day").queued == 0


def test_weekends_and_public_holidays_of_each_country_are_skipped(desk: Desk) -> None:
    christmas = LocalTime(at=time(10), day="2026-12-25")
    desk.service.schedule(
        friday_ten(
            audience=Audience(cities=["toulouse", "wuxi"]), schedule=christmas, skip_holidays=True
        )
    )
    desk.clock.at(datetime(2026, 12, 25, 2, 0, 1, tzinfo=UTC))  # 10:00 in Wuxi
    assert desk.service.fire("music-day").queued == 1
    desk.clock.at(datetime(2026, 12, 25, 9, 0, 1, tzinfo=UTC))  # 10:00 in Toulouse
    fired = desk.service.fire("music-day")
    records = {r.room: r for r in desk.service.deliveries("music-day")}
    assert records["!toulouse"].status == "skipped" and records["!toulouse"].reason == (
        "holiday: Christmas Day"
    )
    assert records["!wuxi"].status == "queued"  # not a public holiday in China
    assert fired.skipped == 1
    desk.service.schedule(
        friday_ten(
            id="saturday",
            audience=Audience(cities=["toulouse"]),
            schedule=LocalTime(at=time(10), day="fri-sat"),
            skip_weekends=True,
        )
    )
    preview = desk.service.preview(desk.service.get("saturday").announcement)
    (delivery,) = preview.deliveries  # 10:00 on Friday has passed in Toulouse: Saturday
    assert str(delivery.skipped) == "weekend" and delivery.local.weekday() == 5  # type: ignore[union-attr]


def test_quiet_hours_hold_a_broadcast_until_morning_in_each_city(desk: Desk) -> None:
    at = FRIDAY.replace(hour=20)  # 21:00 in Toulouse, 04:00 in Wuxi
    preview = desk.service.preview(
        friday_ten(
            audience=Audience(cities=["toulouse", "wuxi", "kansas-city"]),
            schedule=Once(at=at),
            quiet_hours=QuietHours(start=time(21), end=time(8)),
        )
    )
    due = {d.slot.room: d.due for d in preview.deliveries}
    assert due["!kansas-city"] == at  # 14:00 there
    assert due["!toulouse"] == datetime(2026, 11, 28, 7, tzinfo=UTC)
    assert due["!wuxi"] == datetime(2026, 11, 28, 0, tzinfo=UTC)


def test_the_preview_names_the_rooms_where_a_local_hour_has_passed(desk: Desk) -> None:
    desk.clock.at(FRIDAY.replace(hour=5))  # 13:00 in Wuxi, 06:00 in Toulouse
    preview = desk.service.schedule(friday_ten(audience=Audience(cities=["toulouse", "wuxi"])))
    lines = preview_lines(preview, "en")
    assert lines[0].endswith("to 2 rooms.")
    assert [line for line in lines if "!wuxi" in line] == [
        "The moment has passed in 1 room, which does not get it: !wuxi"
    ]


def test_the_preview_counts_every_city_no_room_reaches(desk: Desk) -> None:
    preview = desk.service.preview(friday_ten(audience=Audience(everyone=True)))
    unreached = len(preview.unreached)
    assert unreached > 20
    (line,) = [line for line in preview_lines(preview, "fr") if "Aucun salon" in line]
    assert line.startswith(f"Aucun salon n’atteint {unreached} villes : ")
    assert line.endswith(f" (+{unreached - 20})")


def test_occurrences_held_by_quiet_hours_make_one_post_at_their_end(desk: Desk) -> None:
    desk.service.schedule(
        friday_ten(
            audience=Audience(cities=["toulouse"]),
            schedule=Recurring(cron="0 */4 * * *", timezone="Europe/Paris"),
            quiet_hours=QuietHours(start=time(21), end=time(8)),
        )
    )
    for hour in range(0, 25):  # a day, firing each hour
        desk.clock.at(START + timedelta(hours=hour, seconds=1))
        desk.service.fire("music-day")
    # 00:00 and 04:00 wait for 08:00, which comes anyway: one post, not three.
    posted = [p.key for p in desk.posts()]
    assert len(posted) == 4  # 08:00, 12:00, 16:00, 20:00 in Toulouse
    held = [r for r in desk.service.deliveries("music-day") if r.status == "skipped"]
    assert len(held) == 2 and "held by the quiet hours" in (held[0].reason or "")


def test_a_room_for_several_cities_gets_one_post_per_occurrence(desk: Desk) -> None:
    preview = desk.service.preview(friday_ten(audience=Audience(fields=["literature"])))
    assert [d.slot.room for d in preview.deliveries] == ["!literature"]
    assert len(preview.deliveries[0].slot.cities) > 40


def test_a_city_without_a_time_zone_is_reported_not_guessed(desk: Desk) -> None:
    with desk.store.begin() as tx:
        atlantis = tx.cities.require("toulouse").model_copy(
            update={"id": "atlantis", "name": "Atlantis", "timezone": None}
        )
        tx.cities.put(atlantis)
    desk.service.config.rooms["matrix"].cities["atlantis"] = "!atlantis"
    preview = desk.service.schedule(friday_ten(audience=Audience(cities=["atlantis", "metz"])))
    assert preview.unknown_zone == ["atlantis"]
    desk.clock.at(FRIDAY.replace(hour=9, second=1))  # 10:00 in Metz
    desk.service.fire("music-day")
    desk.clock.at(FRIDAY.replace(hour=10, second=1))  # 10:00 UTC: the unknown zone's record
    desk.service.fire("music-day")
    records = {r.room: r for r in desk.service.deliveries("music-day")}
    assert records["!atlantis"].status == "skipped"
    assert "time zone is unknown" in (records["!atlantis"].reason or "")
    assert [p.room for p in desk.posts()] == ["!metz"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"schedule": Once(at=START - timedelta(hours=1))}, "is in the past"),
        ({"schedule": Recurring(cron="0 0 31 2 *")}, "never fires"),
        ({"schedule": LocalTime(at=time(10), day="2026-11-01")}, "has passed in every"),
        ({"quiet_hours": QuietHours(start=time(9), end=time(11))}, "falls in the quiet hours"),
        ({"audience": Audience(regions=["africa"], cities=["praia"])}, None),
        ({"audience": Audience(fields=["gastronomy"])}, "no room reaches"),
        ({"audience": Audience(cities=["metz", "katmandu"])}, "no member city has the id 'katm"),
        ({"audience": Audience(fields=["musik"])}, "no member city is in the field 'musik'"),
        ({"text": "Long." * 2_400}, "12,000 characters; a post holds at most 10,000"),
    ],
)
def test_schedules_that_cannot_work_are_refused_with_the_reason(
    desk: Desk, changes: dict[str, object], message: str | None
) -> None:
    if message is None:  # the control: a schedule that works
        desk.service.preview(friday_ten(**changes))
        desk.service.schedule(friday_ten(**changes))
        return
    with pytest.raises(AnnouncementError, match=message):
        desk.service.preview(friday_ten(**changes))  # the preview says so before scheduling
    with pytest.raises(AnnouncementError, match=message):
        desk.service.schedule(friday_ten(**changes))
    assert desk.service.listed() == []


def test_pause_resume_edit_and_cancel(desk: Desk) -> None:
    desk.service.schedule(
        friday_ten(schedule=LocalTime(at=time(10), day="daily"), audience=Audience(cities=["metz"]))
    )
    with pytest.raises(AnnouncementError, match="exists already"):
        desk.service.schedule(friday_ten())
    desk.service.pause("music-day")
    desk.clock.at(START + timedelta(days=1))  # Tuesday 00:00, Monday's 10:00 has passed
    assert desk.service.fire("music-day").queued == 0
    desk.service.resume("music-day")
    desk.clock.at(START + timedelta(days=1, hours=9, seconds=1))
    assert desk.service.fire("music-day").queued == 1  # Tuesday's only: Monday's was paused
    edited = desk.service.edit("music-day", text="New text")
    assert edited.announcement.text == "New text"
    # The row keeps the schedule: next at ten in Metz on Wednesday.
    assert desk.service.get("music-day").next_due == START + timedelta(days=2, hours=9)
    desk.clock.at(START + timedelta(days=2, hours=9, seconds=1))
    desk.service.fire("music-day")
    desk.service.cancel("music-day")
    assert all(p.state == "failed" for p in _announcement_rows(desk))
    with pytest.raises(AnnouncementError, match="is cancelled"):
        desk.service.edit("music-day", text="again")
    with pytest.raises(AnnouncementError, match="no announcement 'nope'"):
        desk.service.pause("nope")
    with pytest.raises(AnnouncementError, match="nothing to change"):
        desk.service.edit("music-day")


def _announcement_rows(desk: Desk) -> list[object]:
    from uccn_sdk.store import schema

    with desk.store.begin() as tx:
        rows = tx.connection.execute(
            schema.outbox.select().where(schema.outbox.c.announcement == "music-day")
        )
        return list(rows)


def test_a_delivery_shows_what_became_of_its_post_sent_or_refused(desk: Desk) -> None:
    """Issue 24, item 7: a delivery said "queued" long after its post went out."""
    desk.service.schedule(friday_ten(audience=Audience(cities=["toulouse", "metz", "wuxi"])))
    desk.clock.at(datetime(2026, 11, 27, 9, 0, 1, tzinfo=UTC))  # 10:00 in Toulouse and Metz
    assert desk.service.fire("music-day").queued == 2
    toulouse, metz = sorted(desk.posts(), key=lambda r: r.room == "!metz")
    with desk.store.begin() as tx:
        tx.outbox.mark_sent(toulouse.id, "$posted")
        tx.outbox.mark_failed(metz.id, "Matrix refused: M_FORBIDDEN", final=True)
    records = {r.room: (r.status, r.reason) for r in desk.service.deliveries("music-day")}
    assert records == {
        "!toulouse": ("sent", None),
        "!metz": ("failed", "Matrix refused: M_FORBIDDEN"),
        "!wuxi": ("missed", "due 2026-11-27 02:00 UTC, past the grace"),
    }
