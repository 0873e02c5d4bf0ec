"""Matrix event JSON to uccn events: threads, replies, edits, reactions and redactions, and
encrypted messages the bot has no key for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from uccn_bot.matrix import PLATFORM
from uccn_sdk.chat.events import Deletion, Edit, Event, Message, Reaction, Sender, Unreadable

# What people write: the bot does not read notices (the Matrix way for bots not to answer each
# other), files or images (a programme attached in a thread is not an answer).
READ_MSGTYPES = ("m.text", "m.emote")
POLL_RESPONSES = ("org.matrix.msc3381.poll.response", "m.poll.response")


def to_event(room: str, raw: dict[str, Any], *, direct: bool) -> Event | None:
    """The uccn event for a raw Matrix event, or None for what the bot does not read.

    Any room member can put anything in an event's content: every value is checked for its
    type before it is used, and what does not fit is not read.
    """
    kind = raw.get("type")
    event_id, user = raw.get("event_id"), raw.get("sender")
    if not isinstance(event_id, str) or not isinstance(user, str):
        return None
    content = _object(raw.get("content"))
    base: dict[str, Any] = {
        "platform": PLATFORM,
        "room": room,
        "event_id": event_id,
        "sender": Sender(PLATFORM, user),
        "at": _moment(raw.get("origin_server_ts")),
    }
    relation = _object(content.get("m.relates_to"))
    related = relation.get("event_id")
    if kind == "m.room.message":
        body = content.get("body")
        if not isinstance(body, str) or content.get("msgtype") not in READ_MSGTYPES:
            return None
        if relation.get("rel_type") == "m.replace" and isinstance(related, str):
            new_body = _object(content.get("m.new_content")).get("body")
            text = new_body if isinstance(new_body, str) else body.removeprefix("* ")
            return Edit(**base, target=related, text=text)
        thread_root = None
        replied = _object(relation.get("m.in_reply_to")).get("event_id")
        if relation.get("rel_type") == "m.thread" and isinstance(related, str):
            thread_root = related
        elif isinstance(replied, str):
            # A plain reply to a post counts as its thread, for clients without threads.
            thread_root = replied
            body = _strip_reply_fallback(body)
        return Message(**base, text=body, thread_root=thread_root, direct=direct)
    if kind == "m.reaction" and relation.get("rel_type") == "m.annotation":
        key = relation.get("key")
        if isinstance(related, str) and isinstance(key, str):
            return Reaction(**base, target=related, key=key)
        return None
    if kind in POLL_RESPONSES:
        # A vote (MSC3381): its answer ids are the choices' keycaps (see uccn_bot.matrix.polls).
        answers = _object(content.get(kind)).get("answers")
        if (
            relation.get("rel_type") == "m.reference"
            and isinstance(related, str)
            and isinstance(answers, list)
            and answers
            and isinstance(answers[0], str)
        ):
            return Reaction(**base, target=related, key=answers[0], vote=True)
        return None  # a vote taken back, or not a vote
    if kind == "m.room.encrypted":
        # Still encrypted: the bot has no key for it (a message it could read was decrypted
        # before it got here). A thread shows in the clear part, so the answer can go there.
        thread = related if relation.get("rel_type") == "m.thread" else None
        session = content.get("session_id")
        return Unreadable(
            **base,
            thread_root=thread if isinstance(thread, str) else None,
            missing=session if isinstance(session, str) else "",
        )
    if kind == "m.room.redaction":
        target = raw.get("redacts") or content.get("redacts")
        if isinstance(target, str):
            return Deletion(**base, target=target)
    return None


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _moment(timestamp: object) -> datetime:
    """When the homeserver received the event; now if what it says cannot be a moment."""
    if isinstance(timestamp, int | float) and not isinstance(timestamp, bool):
        try:
            return datetime.fromtimestamp(timestamp / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return datetime.now(UTC)


def _strip_reply_fallback(body: str) -> str:
    """Drop the quoted '> <@user> …' lines a reply starts with in older clients."""
    lines = body.splitlines()
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")
