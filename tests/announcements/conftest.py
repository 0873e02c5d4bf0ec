"""A network of real cities on a real store, with a room per City of Music and a field room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest

from tests.calls.conftest import network, recorder  # noqa: F401 (the chat commands' fixtures)
from uccn_sdk.announcements.service import Announcements
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Announcement, Audience, LocalTime
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store
from uccn_sdk.store.outbox import OutboxRow

START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # a Monday


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> None:
        self.now = moment


@dataclass
class Desk:
    """The Secretariat's desk: the service, its clock, and what the outbox holds."""

    store: Store
    service: Announcements
    clock: Clock
    music: list[str]

    def posts(self) -> list[OutboxRow]:
        with self.store.begin() as tx:
            return [r for r in tx.outbox.pending(limit=10_000) if r.kind == "announcement"]


def friday_ten(**changes: object) -> Announcement:
    data: dict[str, object] = {
        "id": "music-day",
        "text": "Happy Music Day! @room please share your plans.",
        "audience": Audience(fields=["music"]),
        "schedule": LocalTime(at=time(10), day="2026-11-27"),
    }
    return Announcement.model_validate({**data, **changes})


def config_for(music: list[str], **changes: object) -> NetworkConfig:
    rooms = RoomMap(
        cities={city: f"!{city}" for city in music},
        fields={"literature": "!literature"},
        secretariat="!secretariat",
    )
    return NetworkConfig.model_validate(
        {"rooms": {"matrix": rooms}, "announcement_grace": timedelta(minutes=15), **changes}
    )


@pytest.fixture
def desk(store: Store) -> Desk:
    sync_sources(store, Plugins.load().city_sources())
    with store.begin() as tx:
        music = [c.id for c in tx.cities.find(fields=["music"])]
    clock = Clock()
    return Desk(store, Announcements(store, config_for(music), clock), clock, music)
