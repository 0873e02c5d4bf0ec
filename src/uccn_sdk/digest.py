"""The weekly digest for the Secretariat: calls open and closed, announcements, matches."""

from __future__ import annotations

from datetime import datetime, timedelta

from uccn_sdk.audience import audience_cities
from uccn_sdk.calls.texts import deadline_text
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.chat.safety import neutralise
from uccn_sdk.config import NetworkConfig
from uccn_sdk.messages import translate as _
from uccn_sdk.models import AnnouncementState, CallState
from uccn_sdk.store import Store, Transaction

WEEK = timedelta(days=7)


def digest_text(tx: Transaction, config: NetworkConfig, now: datetime) -> str:
    """The digest of the week before `now`, in the network's language."""
    language = config.language
    lines = [_(language, "Weekly digest, week of {date}", date=f"{now - WEEK:%Y-%m-%d}"), ""]
    open_calls = tx.calls.in_state(CallState.OPEN)
    lines.append(_(language, "Calls open: {count}", count=len(open_calls)))
    for call in sorted(open_calls, key=lambda c: c.deadline):
        targets = len(audience_cities(tx, call.audience))
        answered = len(tx.replies.for_call(call.id))
        lines.append(
            _(
                language,
                "- {call}: {answered} of {targets} cities answered, deadline {deadline}",
                call=neutralise(call.title),
                answered=answered,
                targets=targets,
                deadline=deadline_text(call.deadline, None),
            )
        )
    closed = [
        c
        for c in tx.calls.in_state(CallState.CLOSED)
        if now - WEEK < (c.closed_at or c.deadline) <= now
    ]
    lines.append(_(language, "Calls closed this week: {count}", count=len(closed)))
    sent = tx.deliveries.queued_between(now - WEEK, now)
    upcoming = [
        s
        for s in tx.announcements.listed()
        if s.announcement.state is AnnouncementState.SCHEDULED
        and s.next_due is not None
        and s.next_due <= now + WEEK
    ]
    lines.append(
        _(
            language,
            "Announcement posts this week: {sent}; announcements due next week: {upcoming}",
            sent=sent,
            upcoming=len(upcoming),
        )
    )
    matches = tx.matches.made_between(now - WEEK, now)
    lines.append(_(language, "New matches this week: {count}", count=matches))
    return "\n".join(lines)


def queue_digest(store: Store, config: NetworkConfig, now: datetime) -> int:
    """Queue the digest to the Secretariat's room on each platform, once per ISO week."""
    year, week, _day = now.isocalendar()
    queued = 0
    with store.begin() as tx:
        text = digest_text(tx, config, now)
        for platform, rooms in config.rooms.items():
            if rooms.secretariat:
                queued += tx.outbox.enqueue(
                    f"digest:{year}-W{week:02d}:{platform}",
                    platform,
                    OutboundMessage(room=rooms.secretariat, text=text),
                    kind="digest",
                )
    return queued
