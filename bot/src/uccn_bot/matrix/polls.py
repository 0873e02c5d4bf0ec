"""Calls as Matrix polls (MSC3381, the unstable `org.matrix.msc3381.poll.*` types Element
renders): a call whose one question is a choice is posted as a poll, with the whole call as
its text fallback; a vote answers it as the choice's keycap reaction would (the answers' ids
are the keycaps); closing the call ends the poll."""

from __future__ import annotations

from typing import Any

from uccn_sdk.calls.parsing import KEYCAPS
from uccn_sdk.chat.events import CallCard

START = "org.matrix.msc3381.poll.start"
END = "org.matrix.msc3381.poll.end"
TEXT = "org.matrix.msc1767.text"


def poll_start(card: CallCard, text: str) -> dict[str, Any]:
    """The content of the poll event for `card` (its whole post `text` as the fallback)."""
    question = f"{card.title}: {card.question}"
    return {
        START: {
            "question": {TEXT: question, "body": question, "msgtype": "m.text"},
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": 1,
            "answers": [
                {"id": KEYCAPS[n], TEXT: choice} for n, choice in enumerate(card.choices[:9])
            ],
        },
        TEXT: text,
        "body": text,
    }


def poll_end(poll: str, text: str) -> dict[str, Any]:
    """The content of the event that ends the poll `poll`."""
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll},
        END: {},
        TEXT: text,
        "body": text,
    }
