"""Typed events: the same classes for every platform, so the core never sees a payload."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from uccn_sdk.chat.safety import storable


def _made_storable(event: Any) -> None:
    """Make every text an event carries storable, whatever the platform sent: a NUL in a
    message must not stop the inbox, on any database (see :func:`storable`)."""
    for name in (f.name for f in dataclasses.fields(event)):
        value = getattr(event, name)
        clean: object
        if isinstance(value, str):
            clean = storable(value)
        elif isinstance(value, dict):
            clean = {storable(str(k)): storable(str(v)) for k, v in value.items()}
        else:
            continue
        if clean != value:
            object.__setattr__(event, name, clean)


@dataclass(frozen=True)
class Sender:
    platform: str
    user_id: str
    display_name: str = ""
    email: str | None = None
    """An address the platform has verified for this user, given only where the operator
    lets e-mail link people to focal points."""

    def __post_init__(self) -> None:
        _made_storable(self)


@dataclass(frozen=True, kw_only=True)
class _Inbound:
    platform: str
    room: str
    event_id: str
    """The platform's id of this event; the key that makes handling it exactly once."""
    sender: Sender
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        _made_storable(self)


@dataclass(frozen=True, kw_only=True)
class Message(_Inbound):
    """A message in a room, a thread, or a direct conversation with the bot."""

    text: str
    thread_root: str | None = None
    """The event id of the thread's first message, when the message is in a thread."""
    direct: bool = False
    private: bool = False
    """Nobody but the bot saw the text (Slack's slash commands): the answer goes to the
    sender alone where the platform can show a message to one person."""


@dataclass(frozen=True, kw_only=True)
class Reaction(_Inbound):
    target: str
    """The event id reacted to."""
    key: str
    """The emoji or text of the reaction."""
    vote: bool = False
    """A vote in a poll (the post `target`), `key` the choice's id: a new vote replaces it."""


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
    """By question id; 'q0' holds the answer to a call without questions."""
    thread_root: str | None = None
    """The call's post the form was opened from, where the answer is acknowledged."""


@dataclass(frozen=True, kw_only=True)
class Unreadable(_Inbound):
    """A message the bot received and cannot read: encrypted with keys the sender's client
    did not give the bot (it sent before the bot joined, or only to verified devices)."""

    thread_root: str | None = None
    """The thread it was written in, when the platform says so outside the encrypted part."""
    missing: str = ""
    """What the bot lacks to read it (a Matrix Megolm session id): the sender is told once
    for each, however many messages it locks."""


Event = Message | Reaction | Edit | Deletion | FormSubmission | Unreadable


@dataclass(frozen=True, kw_only=True)
class CallCard:
    """What a platform with rich messages needs to show a call as a card with a reply form.

    The message's text stays the whole post; a connector that cannot show cards sends it.
    """

    call: str
    title: str
    text: str
    questions: tuple[str, ...]
    """The questions as numbered lines, with their choices."""
    deadline: datetime
    hint: str
    """How to answer, in the call's language."""
    deadline_label: str
    """'Deadline', in the call's language."""
    reply_label: str
    """The reply button's label, in the call's language."""
    question: str = ""
    choices: tuple[str, ...] = ()
    """When the call's one question is a choice: its prompt and choices, which a platform with
    polls can show as one (a Matrix poll); a vote answers as the choice's reaction would."""


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """A file posted with a message (an export): text, bounded by MAX_ATTACHMENT."""

    name: str
    """The file's name, as the reader downloads it: ``survey-2026.md``."""
    mimetype: str
    text: str
    fallback: str
    """Said after the message's text where the platform takes no file (or refuses this one):
    how else to get it, such as the command that writes it."""


MAX_ATTACHMENT = 4 * 1024 * 1024
"""The largest attachment posted, in bytes of UTF-8: Matrix homeservers commonly take 50 MB
of media and Slack 1 GB; an export past this is for the command line."""


@dataclass(frozen=True, kw_only=True)
class OutboundMessage:
    room: str
    text: str
    thread_root: str | None = None
    reply_to: str | None = None
    """The message this one answers, shown as a reply where the platform can (Matrix): in a
    thread, the message of the thread it is about; else the thread's first message."""
    closes: str | None = None
    """The call post this message closes: where that post is a poll, the poll ends with it."""
    card: CallCard | None = None
    mentions: tuple[str, ...] = ()
    """User ids to mention after the text, each as its platform mentions a person."""
    only_for: str | None = None
    """A user id: show the message to that user alone, where the platform can (Slack's
    ephemeral messages); elsewhere it is an ordinary message in the room."""
    attachment: Attachment | None = None
    """A file posted with the text, where the platform takes files (see
    :attr:`~uccn_sdk.chat.connector.Connector.attachments`); elsewhere its fallback is said."""

    def without_attachment(self) -> OutboundMessage:
        """The message as said where no file can go: its text, then the attachment's fallback."""
        if self.attachment is None:
            return self
        text = f"{self.text}\n{self.attachment.fallback}" if self.text else self.attachment.fallback
        return replace(self, text=text, attachment=None)

    def with_mentions(self, render: Callable[[str], str]) -> str:
        """The text followed by the mentions, each rendered by `render`."""
        if not self.mentions:
            return self.text
        return self.text + " " + " ".join(render(m) for m in self.mentions)


@dataclass(frozen=True, kw_only=True)
class OutboundReaction:
    room: str
    target: str
    key: str


Outbound = OutboundMessage | OutboundReaction
