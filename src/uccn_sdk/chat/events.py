"""Typed events: the same classes for every platform, so the core never sees a payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Sender:
    platform: str
    user_id: str
    display_name: str = ""


@dataclass(frozen=True, kw_only=True)
class _Inbound:
    platform: str
    room: str
    event_id: str
    """The platform's id of this event; the key that makes handling it exactly once."""
    sender: Sender
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True, kw_only=True)
class Message(_Inbound):
    """A message in a room, a thread, or a direct conversation with the bot."""

    text: str
    thread_root: str | None = None
    """The event id of the thread's first message, when the message is in a thread."""
    direct: bool = False


@dataclass(frozen=True, kw_only=True)
class Reaction(_Inbound):
    target: str
    """The event id reacted to."""
    key: str
    """The emoji or text of the reaction."""


@dataclass(frozen=True, kw_only=True)
class Edit(_Inbound):
    target: str
    """The event id of the original message."""
    text: str


@dataclass(frozen=True, kw_only=True)
class Deletion(_Inbound):
    target: str
    """The event id of the deleted (redacted) message or reaction."""


@dataclass(frozen=True, kw_only=True)
class FormSubmission(_Inbound):
    """Answers to a call's questions from a platform form (a Slack modal)."""

    call: str
    answers: dict[str, str]


Event = Message | Reaction | Edit | Deletion | FormSubmission


@dataclass(frozen=True, kw_only=True)
class OutboundMessage:
    room: str
    text: str
    thread_root: str | None = None


@dataclass(frozen=True, kw_only=True)
class OutboundReaction:
    room: str
    target: str
    key: str


Outbound = OutboundMessage | OutboundReaction
