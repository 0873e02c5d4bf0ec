"""The inbox keeps each received event once until it is handled; nothing is lost in between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from uccn_sdk.chat import codec
from uccn_sdk.chat.events import (
    Deletion,
    Edit,
    Event,
    FormSubmission,
    Message,
    Reaction,
    Sender,
)
from uccn_sdk.store import Store, schema
from uccn_sdk.store.inbox import MAX_ATTEMPTS

AT = datetime(2026, 11, 23, 10, tzinfo=UTC)
ANA = Sender("slack", "U1", "Ana", email="ana@example.org")
EVENTS: list[Event] = [
    Message(platform="slack", room="C1", event_id="C1/1", sender=ANA, text="1. 4", at=AT),
    Reaction(platform="slack", room="C1", event_id="r", sender=ANA, target="C1/0", key="✅", at=AT),
    Edit(platform="slack", room="C1", event_id="e", sender=ANA, target="C1/1", text="2", at=AT),
    Deletion(platform="slack", room="C1", event_id="d", sender=ANA, target="C1/1", at=AT),
    FormSubmission(
        platform="slack",
        room="C1",
        event_id="view/V1",
        sender=ANA,
        call="survey",
        answers={"q1": "4"},
        thread_root="C1/0",
        at=AT,
    ),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_every_event_kind_survives_the_inbox(event: Event) -> None:
    assert codec.load(codec.dump(event)) == event


def test_a_redelivered_event_is_kept_once_and_handled_rows_go(store: Store) -> None:
    with store.begin() as tx:
        assert tx.inbox.add(EVENTS[0])
        assert not tx.inbox.add(EVENTS[0])
        tx.inbox.add(EVENTS[1])
    with store.begin() as tx:
        taken = tx.inbox.claim("a")
        assert [event for _, event in taken] == EVENTS[:2]
        assert tx.inbox.claim("b") == []  # "a" holds them
        tx.inbox.done([taken[0][0]])
        assert tx.inbox.failed(taken[1][0], "ValueError: no", timedelta(minutes=1)) == 1
    with store.begin() as tx:
        assert tx.inbox.count() == 1
        assert tx.inbox.claim("a") == []  # a failed event waits for its lease, for everyone


def test_an_event_that_keeps_failing_is_left_with_its_error_after_the_last_attempt(
    store: Store,
) -> None:
    with store.begin() as tx:
        tx.inbox.add(EVENTS[0])
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with store.begin() as tx:
            ((row_id, _),) = tx.inbox.claim("a")
            assert tx.inbox.failed(row_id, f"boom {attempt}", timedelta(seconds=-1)) == attempt
    with store.begin() as tx:
        assert tx.inbox.claim("a") == []  # no longer taken, by anyone
        assert tx.inbox.count() == 1  # but kept
        error = tx.connection.execute(select(schema.inbox.c.error)).scalar_one()
    assert error == f"boom {MAX_ATTEMPTS}"
