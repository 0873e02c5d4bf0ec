"""Slack payloads to the core's typed events.

A Slack message is known by its channel and its `ts` (a `ts` is unique only within a
channel), so the connector's event ids are ``CHANNEL/TS``: a thread reply's root, a
reaction's target and a post's id all take that form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from uccn_bot.slack import PLATFORM
from uccn_sdk.chat.events import Deletion, Edit, Event, Message, Reaction, Sender

SLACKBOT = "USLACKBOT"
"""Slackbot's own user id: its messages (reminders, auto-responses) are nobody's answer."""
_IGNORED_SUBTYPES = frozenset(
    {
        "bot_message",
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "pinned_item",
        "unpinned_item",
        "ekm_access_denied",
    }
)
_KEYCAPS = {
    "one": "1\ufe0f\u20e3",
    "two": "2\ufe0f\u20e3",
    "three": "3\ufe0f\u20e3",
    "four": "4\ufe0f\u20e3",
    "five": "5\ufe0f\u20e3",
    "six": "6\ufe0f\u20e3",
    "seven": "7\ufe0f\u20e3",
    "eight": "8\ufe0f\u20e3",
    "nine": "9\ufe0f\u20e3",
}
"""Slack names the keycap emoji the core offers for a choice; written out by hand."""
_NAMES = {"\u2705": "white_check_mark", **{v: k for k, v in _KEYCAPS.items()}}


def event_id(channel: str, ts: str) -> str:
    return f"{channel}/{ts}"


def split_id(value: str) -> tuple[str, str]:
    """(channel, ts) of an event id made by :func:`event_id`."""
    channel, _, ts = value.partition("/")
    if not ts:
        raise ValueError(f"not a Slack message id: {value!r}")
    return channel, ts


def reaction_slot(target: str, user: str, name: str) -> str:
    """Who reacted with what to which message: what a removed reaction is known by.

    The connector remembers which reaction event last filled a slot, to withdraw it."""
    return f"{target}/{user}/{name}"


def is_reaction_slot(target: str) -> bool:
    """Whether a deletion's target is a reaction's slot rather than a message."""
    return target.count("/") == 3 and "@" not in target


def emoji_name(key: str) -> str:
    """The Slack name of a reaction the core sends (✅, keycaps), or the key itself."""
    return _NAMES.get(key, key.strip(":"))


_ANGLED = re.compile(r"<([^<>]*)>")


def plain(text: str) -> str:
    """Slack's text of a message as its author typed it: each `<…>` Slack made (a link, a
    mention, @channel) as the words it shows, and `&amp; &lt; &gt;` unescaped. (Written by
    hand: Slack's SDKs format text for Slack but do not read it back.)"""

    def shown(match: re.Match[str]) -> str:
        target, _sep, label = match[1].partition("|")
        if target.startswith("!"):  # <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
            return label or "@" + target[1:].split("^")[0]
        if target.startswith(("@", "#")):  # <@U1>, <#C1|general>
            return target[0] + (label or target[1:])
        if not label or label == target or target == f"mailto:{label}":
            return label or target
        return f"{label} ({target})"

    return _ANGLED.sub(shown, text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _at(ts: str | None) -> datetime:
    try:
        return datetime.fromtimestamp(float(ts or 0), UTC) if ts else datetime.now(UTC)
    except ValueError:
        return datetime.now(UTC)


def to_event(
    body: Mapping[str, Any], sender: Sender | None, *, bot_user: str | None
) -> Event | None:
    """The typed event an Events API callback carries, or None when it is not for the core.

    `sender` is the author as the connector identified them (None: build from the event).
    """
    event = _object(body.get("event"))
    kind = event.get("type")
    channel = event.get("channel") or _object(event.get("item")).get("channel")
    if not isinstance(channel, str):
        return None
    envelope_id = str(body.get("event_id") or event.get("event_ts") or "")
    if kind == "message":
        return _message(event, channel, envelope_id, sender, bot_user)
    user = event.get("user")
    if not isinstance(user, str) or user == bot_user:
        return None
    who = sender or Sender(PLATFORM, user)
    item = _object(event.get("item"))
    if item.get("type") != "message" or not isinstance(item.get("ts"), str):
        return None
    target = event_id(channel, item["ts"])
    name = str(event.get("reaction", ""))
    key = _KEYCAPS.get(name, name)
    # A reaction has no id of its own in Slack: who reacted with what to which message,
    # and when (the same reaction can be taken back and given again).
    slot = reaction_slot(target, user, name)
    if kind == "reaction_added":
        return Reaction(
            platform=PLATFORM,
            room=channel,
            event_id=f"{slot}@{event.get('event_ts', '')}",
            sender=who,
            target=target,
            key=key,
            at=_at(event.get("event_ts")),
        )
    if kind == "reaction_removed":
        return Deletion(
            platform=PLATFORM,
            room=channel,
            event_id=envelope_id or f"{slot}/removed@{event.get('event_ts', '')}",
            sender=who,
            target=slot,
            at=_at(event.get("event_ts")),
        )
    return None


def _message(
    event: Mapping[str, Any],
    channel: str,
    envelope_id: str,
    sender: Sender | None,
    bot_user: str | None,
) -> Event | None:
    subtype = event.get("subtype")
    if subtype in _IGNORED_SUBTYPES or event.get("bot_id"):
        return None
    if subtype == "message_changed":
        new = _object(event.get("message"))
        user = new.get("user")
        if not isinstance(user, str) or user == bot_user or new.get("bot_id"):
            return None
        previous = _object(event.get("previous_message"))
        if previous.get("text") == new.get("text"):
            return None  # an unfurl or a reaction count, not an edit of the words
        edited = new.get("ts") or previous.get("ts")
        if not isinstance(edited, str):
            return None
        return Edit(
            platform=PLATFORM,
            room=channel,
            event_id=envelope_id or event_id(channel, str(event.get("event_ts"))),
            sender=sender or Sender(PLATFORM, user),
            target=event_id(channel, edited),
            text=plain(str(new.get("text", ""))),
            at=_at(event.get("event_ts")),
        )
    if subtype == "message_deleted":
        previous = _object(event.get("previous_message"))
        deleted = event.get("deleted_ts") or previous.get("ts")
        user = previous.get("user")
        if not isinstance(deleted, str) or user == bot_user or previous.get("bot_id"):
            return None
        return Deletion(
            platform=PLATFORM,
            room=channel,
            event_id=envelope_id or event_id(channel, str(event.get("event_ts"))),
            sender=sender or Sender(PLATFORM, str(user or "")),
            target=event_id(channel, deleted),
            at=_at(event.get("event_ts")),
        )
    if subtype not in (None, "thread_broadcast", "file_share", "me_message"):
        return None  # a /me message is read as Matrix's m.emote is
    user, ts = event.get("user"), event.get("ts")
    if not isinstance(user, str) or user in (bot_user, SLACKBOT) or not isinstance(ts, str):
        return None
    thread_ts = event.get("thread_ts")
    return Message(
        platform=PLATFORM,
        room=channel,
        event_id=event_id(channel, ts),
        sender=sender or Sender(PLATFORM, user),
        text=plain(str(event.get("text", ""))),
        thread_root=event_id(channel, thread_ts) if thread_ts and thread_ts != ts else None,
        direct=event.get("channel_type") == "im",
        at=_at(ts),
    )


def author(body: Mapping[str, Any]) -> str | None:
    """The user an Events API callback is from, wherever the event type keeps it."""
    event = _object(body.get("event"))
    if event.get("subtype") == "message_changed":
        user = _object(event.get("message")).get("user")
    elif event.get("subtype") == "message_deleted":
        user = _object(event.get("previous_message")).get("user")
    else:
        user = event.get("user")
    return user if isinstance(user, str) else None


def _object(value: object) -> Mapping[str, Any]:
    """`value` when it is a JSON object: anyone can put anything in an event's fields."""
    return value if isinstance(value, dict) else {}
