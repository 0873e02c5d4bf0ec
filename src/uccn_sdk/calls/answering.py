"""What one event answering a call is, and what handling it did: the types of the reply flow
(:mod:`uccn_sdk.calls.replies`) and the keys of what the bot answers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from uccn_sdk.chat.events import FormSubmission, Message, Reaction
from uccn_sdk.commands import COMMAND_PREFIX
from uccn_sdk.models import Call, Reply, Revision
from uccn_sdk.store import Transaction

ACK = "✅"


# A reply written as a command to the bot (`!uccn reply CALL …`, or `reply CALL …` in a
# direct conversation): an edit of it brings the whole command again.
_REPLY_COMMAND = re.compile(
    rf"(?is)^\s*(?:{re.escape(COMMAND_PREFIX)}\s+)?reply\s+(?P<call>\S+)\s*(?P<rest>.*)$"
)


def without_reply_command(text: str, call_id: str) -> str:
    """The answers in `text`, without the `reply CALL` command in front of them, if any."""
    found = _REPLY_COMMAND.match(text)
    return found["rest"] if found and found["call"].lower() == call_id.lower() else text


def notice_key(platform: str, event_id: str) -> str:
    """The outbox key of the bot's notice in answer to event `event_id`: one per event."""
    return f"notice:{platform}:{event_id}"


@dataclass(frozen=True)
class Outcome:
    """What handling one event did; the tests and the logs read it."""

    result: str
    """stored, edited, restored (an edit deleted), withdrawn, filed (an older answer kept in the
    history), unlinked, refused, duplicate or ignored."""
    reply: Reply | None = None
    call: Call | None = None
    """The call the reply was stored for, when one was."""
    call_id: str | None = None
    """The call the event answered (or tried to), when it named one."""


@dataclass(frozen=True)
class Answering:
    """One event that answers a call, as :meth:`Replies._receive` sees it."""

    event: Message | Reaction | FormSubmission
    call_id: str
    text: str
    thread: str
    """Where the bot answers: the event's thread, or the post a reaction was made on."""
    edit_of: str | None
    ack_key: str | None
    received_at: datetime | None = None
    """When an answer kept earlier was given (one filed once its author is linked)."""

    @property
    def source_id(self) -> str:
        # An edit keeps pointing at the original message, so a later deletion withdraws it.
        return self.edit_of or self.event.event_id


def revision_of(reply: Reply) -> Revision:
    return Revision(
        text=reply.text, answers=reply.answers, source=reply.source, at=reply.updated_at
    )


def call_post(tx: Transaction, call_id: str, room: str) -> str | None:
    """The event id of the call's post in `room`, once sent: the thread its answers are in."""
    posts = [r for r in tx.outbox.for_call(call_id, "call") if r.room == room and r.event_id]
    return posts[0].event_id if posts else None
