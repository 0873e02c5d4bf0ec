"""A small network on a real store: the UNESCO directory, three focal points, a room map."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from uccn_sdk.calls.service import Calls
from uccn_sdk.chat.events import Message, Sender
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Audience, Call, FocalPoint, Question
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store
from uccn_sdk.store.outbox import OutboxRow

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Network:
    store: Store
    calls: Calls
    clock: Clock
    closed: list[str] = field(default_factory=list)
    sent: int = 0

    def deliver(self) -> list[OutboxRow]:
        """Send what the outbox holds, as a connector would, giving each post an event id."""
        with self.store.begin() as tx:
            rows = tx.outbox.pending(limit=10_000)
            for row in rows:
                self.sent += 1
                tx.outbox.mark_sent(row.id, f"$sent-{row.id}")
        return rows

    def post_of(self, call: str, room: str) -> str:
        with self.store.begin() as tx:
            (row,) = [r for r in tx.outbox.for_call(call, "call") if r.room == room]
        assert row.event_id
        return row.event_id

    def message(
        self, user: str, text: str, event_id: str, thread: str | None, room: str = "!lyon"
    ) -> Message:
        return Message(
            platform="matrix",
            room=room,
            event_id=event_id,
            sender=Sender("matrix", user),
            text=text,
            thread_root=thread,
        )


CONFIG = NetworkConfig(
    rooms={
        "matrix": RoomMap(
            cities={"lyon": "!lyon", "bologna": "!bologna"},
            fields={"music": "!music"},
            secretariat="!secretariat",
        )
    },
    secretariat={"matrix": ["@sec:uccn.test"]},
)

ANA = FocalPoint(
    id="ana", city="lyon", name="Ana", handles={"matrix": "@ana:uccn.test"}, language="fr"
)
BO = FocalPoint(id="bo", city="bologna", name="Bo", handles={"matrix": "@bo:uccn.test"})
KEMI = FocalPoint(
    id="kemi",
    city="kisumu",
    name="Kemi",
    handles={"matrix": "@kemi:uccn.test"},
    timezone="Africa/Nairobi",
)


def survey(**changes: object) -> Call:
    data: dict[str, object] = {
        "id": "survey-2026",
        "title": "Annual survey",
        "text": "Tell the network about your year.",
        "questions": [
            Question(id="q1", prompt="How many events?", kind="number"),
            Question(id="q2", prompt="Your best project?"),
        ],
        "audience": Audience(cities=["lyon", "bologna"], fields=["music"]),
        "deadline": START + timedelta(days=10),
        "created_at": START,
    }
    return Call.model_validate({**data, **changes})


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def uccn_call_opened(self, call: Call) -> None:
        self.events.append(("opened", call.id))

    def uccn_reply_received(self, call: Call, reply: object) -> None:
        self.events.append(("reply", call.id))

    def uccn_call_closed(self, call: Call, replies: list[object]) -> None:
        self.events.append(("closed", f"{call.id}:{len(replies)}"))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def network(store: Store, recorder: Recorder) -> Network:
    plugins = Plugins.load(extra=[("recorder", recorder)])
    sync_sources(store, plugins.city_sources())
    with store.begin() as tx:
        tx.focal_points.put_many([ANA, BO, KEMI])
    clock = Clock()
    return Network(store, Calls(store, plugins, CONFIG, clock), clock)
