"""Matrix event JSON to uccn events: threads, replies, edits, reactions and redactions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from uccn_bot.matrix import PLATFORM
from uccn_sdk.chat.events import Deletion, Edit, Event, Message, Reaction, Sender


def to_event(room: str, raw: dict[str, Any], *, direct: bool) -> Event | None:
    """The uccn event for a raw Matrix event, or None for what the bot does not read."""
    kind = raw.get("type")
    event_id, user = raw.get("event_id"), raw.get("sender")
    if not isinstance(event_id, str) or not isinstance(user, str):
        return None
    content = raw.get("content") or {}
    base: dict[str, Any] = {
        "platform": PLATFORM,
        "room": room,
        "event_id": event_id,
        "sender": Sender(PLATFORM, user),
        "at": datetime.fromtimestamp(raw.get("origin_server_ts", 0) / 1000, UTC),
    }
    relation = content.get("m.relates_to") or {}
    if kind == "m.room.message":
        body = content.get("body")
        if not isinstance(body, str):
            return None
        if relation.get("rel_type") == "m.replace" and isinstance(relation.get("event_id"), str):
            new_body = (content.get("m.new_content") or {}).get("body")
            text = new_body if isinstance(new_body, str) else body.removeprefix("* ")
            return Edit(**base, target=relation["event_id"], text=text)
        thread_root = None
        if relation.get("rel_type") == "m.thread":
            thread_root = relation.get("event_id")
        elif isinstance((relation.get("m.in_reply_to") or {}).get("event_id"), str):
            # A plain reply to a post counts as its thread, for clients without threads.
            thread_root = relation["m.in_reply_to"]["event_id"]
            body = _strip_reply_fallback(body)
        return Message(**base, text=body, thread_root=thread_root, direct=direct)
    if kind == "m.reaction" and relation.get("rel_type") == "m.annotation":
        target, key = relation.get("event_id"), relation.get("key")
        if isinstance(target, str) and isinstance(key, str):
            return Reaction(**base, target=target, key=key)
        return None
    if kind == "m.room.redaction":
        target = raw.get("redacts") or content.get("redacts")
        if isinstance(target, str):
            return Deletion(**base, target=target)
    return None


def _strip_reply_fallback(body: str) -> str:
    """Drop the quoted '> <@user> …' lines a reply starts with in older clients."""
    lines = body.splitlines()
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")
