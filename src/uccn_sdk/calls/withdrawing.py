"""A deleted message and the city's answer: deleting the answer withdraws it, deleting an edit
brings back the answer as it was before; only its author, a focal point of the city or the
Secretariat can do either (a room's moderator cleaning up cannot)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from uccn_sdk.calls.answering import Outcome, call_post, notice_key, revision_of
from uccn_sdk.chat.events import Deletion, OutboundMessage, Sender
from uccn_sdk.config import NetworkConfig
from uccn_sdk.messages import translate as _
from uccn_sdk.models import CallState, Reply
from uccn_sdk.runtime.context_log import about
from uccn_sdk.store import Transaction

log = logging.getLogger("uccn.calls")


def withdraw(
    tx: Transaction, event: Deletion, config: NetworkConfig, clock: Callable[[], datetime]
) -> Outcome:
    """What deleting the message `event.target` does to the reply it made, if any."""
    found = tx.reply_sources.find(event.platform, event.target)
    if found is None:
        return Outcome("ignored")
    call_id, city = found
    with about(call=call_id):
        outcome = _withdraw(tx, event, config, clock, call_id, city)
    return replace(outcome, call_id=call_id)


def _withdraw(
    tx: Transaction,
    event: Deletion,
    config: NetworkConfig,
    clock: Callable[[], datetime],
    call_id: str,
    city: str,
) -> Outcome:
    current = tx.replies.get(call_id, city)
    call = tx.calls.get(call_id)
    if current is None or current.withdrawn or call is None or call.state is not CallState.OPEN:
        return Outcome("ignored")
    undone = current.edit is not None and current.edit == event.target and current.history
    withdrawn = current.source is not None and current.source.event_id == event.target
    if not (undone or withdrawn):
        return Outcome("ignored")  # an older message, or an older edit, of the city's
    if not _may_withdraw(tx, config, event.sender, current):
        who, what = event.sender.user_id, f"{city}'s answer to {call_id}"
        log.warning("%s, not its author nor the city's, deleted %s: it stays", who, what)
        return Outcome("ignored")
    if undone:
        before = current.history[-1]
        restored = current.model_copy(
            update={
                "text": before.text,
                "answers": before.answers,
                "history": [*current.history[:-1], revision_of(current)],
                "edit": None,
                "updated_at": clock(),
            }
        )
        tx.replies.put(restored)
        return Outcome("restored", restored, call)
    withdrawn_reply = current.model_copy(
        update={
            "withdrawn": True,
            "history": [*current.history, revision_of(current)],
            "updated_at": clock(),
        }
    )
    tx.replies.put(withdrawn_reply)
    _tell_withdrawn(tx, config, event, call_id, city)
    return Outcome("withdrawn", withdrawn_reply)


def _tell_withdrawn(
    tx: Transaction, config: NetworkConfig, event: Deletion, call_id: str, city: str
) -> None:
    """Say in the call's thread that the city's answer no longer counts, and how to answer
    again (in the language of whoever deleted it)."""
    point = tx.focal_points.identify(event.sender)
    language = point.language if point else config.language
    named = tx.cities.get(city)
    tx.outbox.enqueue(
        notice_key(event.platform, event.event_id),
        event.platform,
        OutboundMessage(
            room=event.room,
            text=_(
                language,
                "The answer of {city} is withdrawn: it no longer counts. To answer again, "
                "write in this thread before the deadline.",
                city=named.name if named else city,
            ),
            thread_root=call_post(tx, call_id, event.room),
        ),
        kind="notice",
    )


def _may_withdraw(tx: Transaction, config: NetworkConfig, sender: Sender, reply: Reply) -> bool:
    """Whether `sender` may withdraw the city's answer by deleting its message: its author,
    a focal point of the same city, or the Secretariat; not a room's moderator."""
    if sender.user_id == reply.author or config.is_secretariat(sender.platform, sender.user_id):
        return True
    point = tx.focal_points.identify(sender)
    return point is not None and point.city == reply.city
