"""The weekly digest: what the Secretariat reads on Monday morning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tests.calls.conftest import CONFIG, Network, survey
from uccn_sdk.digest import queue_digest


def test_the_digest_counts_open_calls_replies_and_announcements_once_a_week(
    network: Network,
) -> None:
    network.calls.create(survey())
    network.calls.open("survey-2026")
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert queue_digest(network.store, CONFIG, now) == 1
    assert queue_digest(network.store, CONFIG, now + timedelta(hours=1)) == 0  # same week
    with network.store.begin() as tx:
        (row,) = [r for r in tx.outbox.pending(limit=100) if r.kind == "digest"]
    text = row.message.text  # type: ignore[union-attr]
    assert row.room == "!secretariat"
    assert text.startswith("Weekly digest, week of 2026-11-23")
    assert "Calls open: 1" in text
    assert "- Annual survey: 0 of 85 cities answered, deadline 2026-12-03 08:00 UTC" in text
    assert "Announcement posts this week: 0; announcements due next week: 0" in text
    assert queue_digest(network.store, CONFIG, now + timedelta(days=7)) == 1  # next week


def test_a_call_closed_early_counts_in_its_week_and_deadlines_read_in_utc(
    network: Network,
) -> None:
    paris = timezone(timedelta(hours=1))
    network.calls.create(survey(deadline=datetime(2026, 12, 10, 17, tzinfo=paris)))
    network.calls.open("survey-2026")
    network.calls.create(survey(id="forum", deadline=datetime(2027, 1, 15, 12, tzinfo=UTC)))
    network.calls.open("forum")
    network.clock.now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    network.calls.close("forum")  # by hand, seven weeks before its deadline
    queue_digest(network.store, CONFIG, datetime(2026, 11, 30, 9, tzinfo=UTC))
    with network.store.begin() as tx:
        (row,) = [r for r in tx.outbox.pending(limit=100) if r.kind == "digest"]
    text = row.message.text  # type: ignore[union-attr]
    assert "deadline 2026-12-10 16:00 UTC" in text  # 17:00 in Paris
    assert "Calls closed this week: 1" in text
