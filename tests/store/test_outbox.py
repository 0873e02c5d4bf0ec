"""Outbox rows are claimed by one worker at a time; a dead worker's rows come back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from uccn_sdk.chat.events import CallCard, OutboundMessage
from uccn_sdk.store import Store, schema


def queue(store: Store, count: int) -> None:
    with store.begin() as tx:
        for n in range(count):
            tx.outbox.enqueue(
                f"k{n}", "matrix", OutboundMessage(room="!r", text=f"m{n}"), kind="notice"
            )


def test_two_workers_never_take_the_same_rows(store: Store) -> None:
    queue(store, 5)
    with store.begin() as tx:
        first = tx.outbox.claim("a", "matrix", limit=3)
    with store.begin() as tx:
        second = tx.outbox.claim("b", "matrix", limit=3)
    assert [r.key for r in first] == ["k0", "k1", "k2"]
    assert [r.key for r in second] == ["k3", "k4"]
    with store.begin() as tx:
        again = tx.outbox.claim("b", "matrix")  # a worker may take its own rows again
    assert [r.key for r in again] == [r.key for r in second]


def test_sent_rows_are_not_claimed_and_a_dead_workers_rows_come_back(store: Store) -> None:
    queue(store, 2)
    with store.begin() as tx:
        sent, _held = tx.outbox.claim("a", "matrix", lease=timedelta(seconds=30))
        tx.outbox.mark_sent(sent.id, "$1")
    with store.begin() as tx:
        assert tx.outbox.claim("b", "matrix") == []  # "a" still holds k1
        table = schema.outbox
        tx.connection.execute(update(table).values(claimed_until=table.c.created_at))  # lease over
    with store.begin() as tx:
        taken = tx.outbox.claim("b", "matrix")
    assert [r.key for r in taken] == ["k1"]
    assert taken[0].retry  # "a" may have posted it before dying: the connector looks first


def test_rows_given_back_untried_are_not_retries(store: Store) -> None:
    queue(store, 3)
    with store.begin() as tx:
        first = tx.outbox.claim("a", "matrix")
        assert not any(r.retry for r in first)
        tx.outbox.mark_failed(first[0].id, "timeout", final=False)
        tx.outbox.release([first[1].id, first[2].id])
    with store.begin() as tx:
        again = tx.outbox.claim("a", "matrix")
    assert [(r.key, r.retry) for r in again] == [("k0", True), ("k1", False), ("k2", False)]


def test_a_call_card_and_mentions_survive_the_outbox(store: Store) -> None:
    card = CallCard(
        call="survey",
        title="Survey",
        text="Tell us.",
        questions=("1. Events?",),
        deadline=datetime(2030, 1, 1, 12, tzinfo=UTC),
        hint="Answer here.",
        deadline_label="Deadline",
        reply_label="Reply",
    )
    message = OutboundMessage(room="C1", text="post", card=card, mentions=("U1",))
    with store.begin() as tx:
        tx.outbox.enqueue("card", "slack", message, kind="call")
    with store.begin() as tx:
        assert tx.outbox.claim("a", "slack")[0].message == message


# SQLite serialises writers; skipping locked rows is PostgreSQL's part.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_concurrent_claims_skip_locked_rows(database_url: str) -> None:
    store = Store.open(database_url)
    queue(store, 4)
    with store.begin() as one, store.begin() as two:
        taken_by_one = one.outbox.claim("a", "matrix", limit=2)
        taken_by_two = two.outbox.claim("b", "matrix", limit=4)  # while one's lock is held
    assert {r.key for r in taken_by_one} == {"k0", "k1"}
    assert {r.key for r in taken_by_two} == {"k2", "k3"}
    store.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_rows_another_worker_took_between_looking_and_taking_are_left_to_it(
    database_url: str,
) -> None:
    """On SQLite a worker looks for free rows outside the write lock: another worker that took
    them meanwhile kept them, and both sent them (416 posts for 408 rooms in one run)."""
    from sqlalchemy import event

    first, second = Store.open(database_url), Store.open(database_url)
    try:
        queue(first, 3)
        taken_by_second: list[str] = []

        def meanwhile(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
            if statement.lstrip().upper().startswith("UPDATE OUTBOX") and not taken_by_second:
                with second.begin() as tx:  # the other worker, just before this one takes them
                    taken_by_second.extend(r.key for r in tx.outbox.claim("b", "matrix"))

        event.listen(first.engine, "before_cursor_execute", meanwhile)
        with first.begin() as tx:
            taken_by_first = [r.key for r in tx.outbox.claim("a", "matrix")]
        assert taken_by_second == ["k0", "k1", "k2"]
        assert taken_by_first == []
    finally:
        first.close()
        second.close()
