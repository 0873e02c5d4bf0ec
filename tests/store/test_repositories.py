"""Every record type is stored, found and replaced the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.models.test_models import EXAMPLES, city
from uccn_sdk.models import Call, City, FocalPoint, Match, Project, Reply
from uccn_sdk.models.announcement import Announcement
from uccn_sdk.store import Store
from uccn_sdk.store.repository import NotFound


def seed(store: Store) -> None:
    with store.begin() as tx:
        tx.cities.put_many([city(), city(id="popayan", name="Popayán", country="CO")])


def example(kind: type) -> object:
    return next(e for e in EXAMPLES if isinstance(e, kind))


def test_cities_round_trip_and_filter(store: Store) -> None:
    lyon = city(
        id="lyon",
        name="Lyon",
        country="FR",
        region="europe-north-america",
        designations=[{"field": "media-arts", "year": 2008}, {"field": "literature", "year": 2023}],
    )
    with store.begin() as tx:
        tx.cities.put_many([city(), lyon])
    with store.begin() as tx:
        assert tx.cities.get("lyon") == lyon
        assert [c.id for c in tx.cities.find(fields=["literature"])] == ["lyon"]
        # Any of a city's designations finds it; a field and a year, the same designation.
        assert [c.id for c in tx.cities.find(fields=["media-arts"])] == ["lyon"]
        assert [c.id for c in tx.cities.find(years=[2008])] == ["lyon"]
        assert [c.id for c in tx.cities.find(fields=["literature"], years=[2023])] == ["lyon"]
        assert tx.cities.find(fields=["media-arts"], years=[2023]) == []
        assert [c.id for c in tx.cities.find(countries=["ni"])] == ["granada-0"]
        assert [c.id for c in tx.cities.find(regions=["latin-america-caribbean"])] == ["granada-0"]
        assert tx.cities.count() == 2
        with pytest.raises(NotFound, match="no city 'paris'"):
            tx.cities.require("paris")


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    def crash_half_way() -> None:
        with store.begin() as tx:
            tx.cities.put(city())
            raise RuntimeError("crash half way")

    with pytest.raises(RuntimeError):
        crash_half_way()
    with store.begin() as tx:
        assert tx.cities.count() == 0


def test_focal_points_are_found_by_their_platform_handle(store: Store) -> None:
    seed(store)
    ana = example(FocalPoint)
    assert isinstance(ana, FocalPoint)
    with store.begin() as tx:
        tx.focal_points.put(ana)
    with store.begin() as tx:
        assert tx.focal_points.by_handle("slack", "U024BE7LH") == ana
        assert tx.focal_points.for_city("granada-0") == [ana]
        moved = ana.model_copy(update={"handles": {"matrix": "@ana:other.org"}})
        tx.focal_points.put(moved)
    with store.begin() as tx:
        assert tx.focal_points.by_handle("slack", "U024BE7LH") is None
        assert tx.focal_points.by_handle("matrix", "@ana:other.org") == moved


def test_projects_calls_replies_and_announcements_round_trip(store: Store) -> None:
    seed(store)
    project, call, reply, announcement = (
        example(Project),
        example(Call),
        example(Reply),
        example(Announcement),
    )
    with store.begin() as tx:
        tx.projects.put(project)  # type: ignore[arg-type]
        tx.calls.put(call)  # type: ignore[arg-type]
        tx.replies.put(reply)  # type: ignore[arg-type]
        tx.announcements.put(announcement)  # type: ignore[arg-type]
    with store.begin() as tx:
        assert tx.projects.led_by("granada-0") == [project]
        assert tx.calls.in_state("draft") == [call]
        assert tx.replies.get("monitoring-2026", "granada-0") == reply
        assert tx.announcements.get("music-day") == announcement


def test_one_current_reply_per_city_and_call(store: Store) -> None:
    seed(store)
    call, reply = example(Call), example(Reply)
    assert isinstance(call, Call) and isinstance(reply, Reply)
    with store.begin() as tx:
        tx.calls.put(call)
        tx.replies.put(reply)
        edited = reply.model_copy(update={"text": "1. no", "updated_at": datetime.now(UTC)})
        tx.replies.put(edited)
        tx.replies.put(reply.model_copy(update={"city": "popayan", "withdrawn": True}))
    with store.begin() as tx:
        assert tx.replies.for_call(call.id) == [edited]
        assert len(tx.replies.for_call(call.id, include_withdrawn=True)) == 2


def test_matches_are_a_log_found_either_way_round(store: Store) -> None:
    match = example(Match)
    assert isinstance(match, Match)
    with store.begin() as tx:
        tx.matches.add(match)
        tx.matches.add(match.model_copy(update={"score": 0.5}))
    with store.begin() as tx:
        assert [m.score for m in tx.matches.between("city:popayan", "city:granada-0")] == [0.8, 0.5]
        assert tx.matches.count() == 2


def test_a_call_deadline_keeps_its_instant(store: Store) -> None:
    call = example(Call)
    assert isinstance(call, Call)
    paris = call.model_copy(update={"deadline": call.deadline.astimezone(ZoneInfo("Europe/Paris"))})
    with store.begin() as tx:
        tx.calls.put(paris)
    with store.begin() as tx:
        stored = tx.calls.require(call.id)
    assert stored.deadline == call.deadline
    assert stored.deadline.utcoffset() == timedelta(hours=1)


def test_many_cities_in_one_put(store: Store) -> None:
    cities = [city(id=f"city-{n}", name=f"City {n}") for n in range(5_000)]
    with store.begin() as tx:
        assert tx.cities.put_many(cities) == 5_000
    with store.begin() as tx:
        assert tx.cities.count() == 5_000
        assert isinstance(tx.cities.get("city-4999"), City)


def test_a_page_of_cities_in_a_readers_order_searched_without_accents(store: Store) -> None:
    names = ["Zwolle", "Évora", "Łódź", "Eindhoven", "London", "Östersund", "Ouagadougou", "Évry"]
    with store.begin() as tx:
        tx.cities.put_many(city(id=f"c{n}", name=name) for n, name in enumerate(names))
    with store.begin() as tx:
        first, total = tx.cities.page(limit=4)
        second, _ = tx.cities.page(offset=4, limit=4)
        evora, found = tx.cities.page(words=["EV"])
        lodz, _ = tx.cities.page(words=["LODZ"], countries=["NI"])
        designed, held = tx.cities.page(fields=["design"], words=["o"], offset=1, limit=1)
        of_2023 = tx.cities.page(fields=["design"], years=[2023])[1]
        of_2022 = tx.cities.page(fields=["design"], years=[2022])[1]
        other_field = tx.cities.page(fields=["music"])[1]
    assert total == 8
    shown = [c.name for c in first + second]
    assert shown == [
        "Eindhoven", "Évora", "Évry", "Łódź", "London", "Östersund", "Ouagadougou", "Zwolle",
    ]  # fmt: skip
    assert found == 2 and [c.name for c in evora] == ["Évora", "Évry"]
    assert [c.name for c in lodz] == ["Łódź"]
    assert [c.name for c in designed] == ["Évora"] and held == 7  # by designation, then a page
    assert (of_2023, of_2022, other_field) == (8, 0, 0)
