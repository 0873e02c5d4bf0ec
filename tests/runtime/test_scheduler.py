"""The scheduler on the real APScheduler and the project's database: restarts and downtime."""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from tests.announcements.conftest import config_for, friday_ten
from uccn_sdk.announcements.service import Announcements
from uccn_sdk.config import NetworkConfig
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Audience, LocalTime, Once, Recurring
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.scheduler import Scheduler, Work
from uccn_sdk.store import Store, schema

CITIES = ["toulouse", "metz", "wuxi"]


@pytest.fixture
def config(store: Store) -> NetworkConfig:
    sync_sources(store, Plugins.load().city_sources())
    return config_for(CITIES, announcement_grace=timedelta(seconds=2))


@pytest.fixture
def schedulers(store: Store, config: NetworkConfig) -> Iterator[Callable[[], Scheduler]]:
    made: list[Scheduler] = []

    def make() -> Scheduler:
        service = Announcements(store, config)
        work = Work(fire=service.fire, tick=lambda: None, digest=lambda: None)
        scheduler = Scheduler(store, config, work, poll=0.1)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.stop()


def _soon(store: Store, config: NetworkConfig, seconds: float) -> datetime:
    at = datetime.now(UTC) + timedelta(seconds=seconds)
    Announcements(store, config).schedule(
        friday_ten(id="soon", audience=Audience(cities=CITIES), schedule=Once(at=at))
    )
    return at


def _posts(store: Store) -> int:
    with store.begin() as tx:
        return len([r for r in tx.outbox.pending(limit=1000) if r.announcement == "soon"])


def _wait_for(condition: Callable[[], bool], seconds: float = 15) -> bool:
    end = clock.monotonic() + seconds
    while clock.monotonic() < end:
        if condition():
            return True
        clock.sleep(0.1)
    return condition()


def test_a_job_scheduled_before_a_restart_fires_once_after_it(
    store: Store, config: NetworkConfig, schedulers: Callable[[], Scheduler]
) -> None:
    at = _soon(store, config, 3)
    first = schedulers()
    first.step()  # leads, and makes the announcement's job
    assert first.leading
    first.stop()  # the bot restarts before the announcement is due
    with store.begin() as tx:
        found = tx.announcements.scheduled("soon")
    assert found is not None and found.next_due == at  # the schedule lives in its row
    assert _posts(store) == 0
    second = schedulers()
    second.step()
    assert _wait_for(lambda: _posts(store) == 3)
    assert datetime.now(UTC) >= at
    clock.sleep(1)
    second.step()
    assert _posts(store) == 3  # once per room, not again


def test_a_delivery_missed_beyond_the_grace_is_reported_not_sent(
    store: Store, config: NetworkConfig, schedulers: Callable[[], Scheduler]
) -> None:
    _soon(store, config, 1)
    first = schedulers()
    first.step()
    first.stop()
    clock.sleep(4)  # down past the due moment and the 2 s grace
    second = schedulers()
    second.step()
    service = Announcements(store, config)
    assert _wait_for(lambda: len(service.deliveries("soon")) == 3)
    assert {r.status for r in service.deliveries("soon")} == {"missed"}
    assert _posts(store) == 0


def test_rooms_added_while_the_bot_was_down_get_their_local_hour(store: Store) -> None:
    sync_sources(store, Plugins.load().city_sources())
    every_day = LocalTime(at=time(10), day="daily")
    daily = friday_ten(id="daily", audience=Audience(cities=CITIES), schedule=every_day)

    def leader(config: NetworkConfig) -> Scheduler:
        service = Announcements(store, config)
        work = Work(fire=service.fire, tick=lambda: None, digest=lambda: None)
        scheduler = Scheduler(store, config, work, poll=0.1)
        scheduler.step()
        assert scheduler.leading
        return scheduler

    def next_due() -> datetime | None:
        with store.begin() as tx:
            found = tx.announcements.scheduled("daily")
        assert found is not None
        return found.next_due

    only_toulouse = config_for(["toulouse"])
    Announcements(store, only_toulouse).schedule(daily)
    first = leader(only_toulouse)
    in_paris = next_due()
    assert in_paris is not None and in_paris.astimezone(ZoneInfo("Europe/Paris")).hour == 10
    first.stop()
    second = leader(config_for(CITIES))  # the operator mapped Metz's and Wuxi's rooms
    try:
        # It now wakes at ten in Wuxi too, hours before ten in Toulouse and Metz.
        in_wuxi = next_due()
        assert in_wuxi is not None and in_wuxi.astimezone(ZoneInfo("Asia/Shanghai")).hour == 10
        assert in_wuxi < in_paris
        assert second.sync() == in_wuxi  # the leader wakes then
    finally:
        second.stop()


def test_only_one_of_two_schedulers_leads_and_the_other_takes_over(
    store: Store, config: NetworkConfig, schedulers: Callable[[], Scheduler]
) -> None:
    first, second = schedulers(), schedulers()
    first.step()
    second.step()
    assert first.leading and not second.leading
    _soon(store, config, 4)
    first.step()  # syncs the new announcement's job
    first.stop()  # the leader goes before it is due
    second.step()
    assert second.leading
    assert _wait_for(lambda: _posts(store) == 3)


def test_an_announcement_scheduled_while_leading_fires_at_its_moment(
    store: Store, config: NetworkConfig, schedulers: Callable[[], Scheduler]
) -> None:
    leader = schedulers()
    leader.step()
    assert leader.sync() is None  # nothing scheduled: nothing to wake for
    at = _soon(store, config, 1)
    assert leader.sync() == at  # the next round reads it from the row
    assert _wait_for(lambda: _posts(store) == 3)


def test_a_firing_that_fails_is_retried_later_and_does_not_hold_up_the_others(
    store: Store, config: NetworkConfig
) -> None:
    service = Announcements(store, config)
    tries: list[str] = []

    def fire(announcement_id: str) -> None:
        tries.append(announcement_id)
        if announcement_id == "broken":
            raise RuntimeError("the database refused")
        service.fire(announcement_id)

    now = datetime.now(UTC)
    for name in ("broken", "soon"):
        service.schedule(
            friday_ten(
                id=name,
                audience=Audience(cities=CITIES),
                schedule=Once(at=now + timedelta(seconds=1)),
            )
        )
    leader = Scheduler(store, config, Work(fire=fire, tick=lambda: None, digest=lambda: None))
    try:
        leader.step()
        assert _wait_for(lambda: _posts(store) == 3)
        clock.sleep(1.5)
        assert tries.count("broken") == 1  # waits RETRY_SECONDS, not a loop
        assert leader.sync() is not None and leader.sync() > datetime.now(UTC)
    finally:
        leader.stop()


def test_a_digest_due_while_no_worker_led_goes_out_when_one_leads(store: Store) -> None:
    now = datetime.now(UTC) - timedelta(minutes=2)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[now.weekday()]
    config = NetworkConfig.model_validate(
        {
            **config_for(CITIES).model_dump(),
            "digest": {"enabled": True, "day": day, "at": now.time(), "timezone": "UTC"},
            "announcement_grace": timedelta(minutes=10),
        }
    )
    digests: list[int] = []
    work = Work(fire=lambda _id: None, tick=lambda: None, digest=lambda: digests.append(1))
    leader = Scheduler(store, config, work)
    try:
        leader.step()
        assert _wait_for(lambda: digests == [1], seconds=5)
    finally:
        leader.stop()


def test_a_leader_killed_while_an_occurrence_fires_leaves_it_to_the_next_one(
    store: Store, config: NetworkConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22, finding 4: the occurrence ends sent once, not lost between two leaders."""
    _soon(store, config, 0.5)
    service = Announcements(store, config)
    deliver = Announcements._deliver
    killed: list[str] = []

    def killed_mid_firing(self: Announcements, tx: object, *args: object) -> None:
        deliver(self, tx, *args)  # type: ignore[arg-type]
        killed.append("mid-firing")
        raise SystemExit("kill -9")  # nothing after this point commits

    first = Scheduler(store, config, Work(fire=lambda i: service.fire(i), tick=lambda: None,
                                          digest=lambda: None), poll=0.1)  # fmt: skip
    with monkeypatch.context() as patch:
        patch.setattr(Announcements, "_deliver", killed_mid_firing)
        first.step()
        assert _wait_for(lambda: bool(killed))
        first.stop()
    assert _posts(store) == 0 and service.deliveries("soon") == []  # rolled back
    second = Scheduler(
        store, config, Work(fire=service.fire, tick=lambda: None, digest=lambda: None), poll=0.1
    )
    try:
        second.step()
        assert _wait_for(lambda: _posts(store) == 3)
        assert {r.status for r in service.deliveries("soon")} == {"queued"}
    finally:
        second.stop()


def test_a_firing_that_leaves_the_announcement_due_does_not_loop(
    store: Store, config: NetworkConfig
) -> None:
    _soon(store, config, 0.2)
    fired: list[str] = []
    leader = Scheduler(
        store, config, Work(fire=fired.append, tick=lambda: None, digest=lambda: None), poll=0.1
    )
    try:
        leader.step()
        assert _wait_for(lambda: fired == ["soon"])
        for _ in range(10):  # a second of rounds
            leader.step()
            clock.sleep(0.1)
        assert fired == ["soon"]  # tried again RETRY_SECONDS later, not at once
    finally:
        leader.stop()


def test_a_leader_killed_while_a_recurring_occurrence_fires_leaves_it_to_the_next_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22, finding 4, for a recurring announcement: the occurrence is neither lost nor
    doubled, and the next one is still planned."""
    sync_sources(store, Plugins.load().city_sources())
    config = config_for(CITIES, announcement_grace=timedelta(minutes=5))
    service = Announcements(store, config)
    now = datetime.now(UTC)
    minute = now.replace(second=0, microsecond=0)
    # Every day at this minute: one occurrence is due now, the next is tomorrow.
    daily = Recurring(cron=f"{minute.minute} {minute.hour} * * *")
    service.schedule(friday_ten(id="daily", audience=Audience(cities=CITIES), schedule=daily))
    with store.begin() as tx:
        tx.connection.execute(
            update(schema.announcements)
            .where(schema.announcements.c.id == "daily")
            .values(next_due=minute, processed_until=minute - timedelta(seconds=1))
        )
    deliver = Announcements._deliver
    killed: list[str] = []

    def killed_mid_firing(self: Announcements, tx: object, *args: object) -> None:
        deliver(self, tx, *args)  # type: ignore[arg-type]
        killed.append("mid-firing")
        raise SystemExit("kill -9")  # nothing after this point commits

    work = Work(fire=service.fire, tick=lambda: None, digest=lambda: None)
    first = Scheduler(store, config, work, poll=0.1)
    with monkeypatch.context() as patch:
        patch.setattr(Announcements, "_deliver", killed_mid_firing)
        first.step()
        assert _wait_for(lambda: bool(killed))
        first.stop()
    assert service.deliveries("daily") == []  # rolled back: not sent, not lost either

    def queued() -> int:
        with store.begin() as tx:
            return len([r for r in tx.outbox.pending(limit=100) if r.announcement == "daily"])

    second = Scheduler(store, config, work, poll=0.1)
    try:
        second.step()
        assert _wait_for(lambda: queued() == 3)
        clock.sleep(0.5)  # a second firing of the same occurrence would show by now
        assert queued() == 3
        assert {r.status for r in service.deliveries("daily")} == {"queued"}
        with store.begin() as tx:
            scheduled = tx.announcements.scheduled("daily")
        assert scheduled is not None and scheduled.next_due == minute + timedelta(days=1)
    finally:
        second.stop()
