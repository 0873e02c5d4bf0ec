"""Typed events to JSON and back, for the inbox that keeps them between receipt and handling."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from uccn_sdk.chat.events import (
    Deletion,
    Edit,
    Event,
    FormSubmission,
    Message,
    Reaction,
    Sender,
    Unreadable,
)

_KINDS: dict[str, type[Event]] = {
    "message": Message,
    "reaction": Reaction,
    "edit": Edit,
    "deletion": Deletion,
    "form": FormSubmission,
    "unreadable": Unreadable,
}
_NAMES = {kind: name for name, kind in _KINDS.items()}


def dump(event: Event) -> dict[str, Any]:
    values = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
    values["sender"] = dataclasses.asdict(event.sender)
    values["at"] = event.at.isoformat()
    return {"kind": _NAMES[type(event)], **values}


def load(document: dict[str, Any]) -> Event:
    values = dict(document)
    kind = _KINDS[values.pop("kind")]
    values["sender"] = Sender(**values["sender"])
    values["at"] = datetime.fromisoformat(values["at"])
    return kind(**values)
