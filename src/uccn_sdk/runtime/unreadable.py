"""A message the bot cannot read (encrypted with keys its sender's client did not give the
bot): logged with who and where, and its sender told once for each missing key, in their
language, what to do."""

from __future__ import annotations

import logging

from uccn_sdk.chat.events import OutboundMessage, Unreadable
from uccn_sdk.config import NetworkConfig
from uccn_sdk.messages import translate as _
from uccn_sdk.store import Store

log = logging.getLogger("uccn.runtime")


def tell_unreadable(store: Store, config: NetworkConfig, event: Unreadable) -> None:
    """Handle `event` once: log it, and queue the notice to its sender unless they were told
    about the same missing key before."""
    user = event.sender.user_id
    with store.begin() as tx:
        if not tx.inbound.claim(event.platform, event.event_id):
            return
        log.warning(
            "could not read a message from %s in %s: it is encrypted with keys the bot was "
            "not given (%s)",
            user,
            event.room,
            event.missing or "no key",
        )
        point = tx.focal_points.identify(event.sender)
        language = point.language if point else config.language
        text = _(
            language,
            "I could not read your message: your app encrypted it without giving me the key. "
            "Please send it again. If this happens again, verify the bot in your app (or allow "
            "sending to unverified sessions), then send it again.",
        )
        tx.outbox.enqueue(
            f"unreadable:{event.platform}:{user}:{event.missing or event.event_id}",
            event.platform,
            OutboundMessage(
                room=event.room, text=text, thread_root=event.thread_root, mentions=(user,)
            ),
            kind="notice",
        )
