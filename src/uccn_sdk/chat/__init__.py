"""Platform-neutral chat: the events connectors deliver and the messages they send.

The names below are loaded on first use, so a command that never chats can import
`uccn_sdk.chat.safety` without building every event class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from uccn_sdk.exports import lazy_exports

if TYPE_CHECKING:
    from uccn_sdk.chat.connector import Connector, Unsupported
    from uccn_sdk.chat.events import (
        Deletion,
        Edit,
        Event,
        FormSubmission,
        Message,
        Outbound,
        OutboundMessage,
        OutboundReaction,
        Reaction,
        Sender,
        Unreadable,
    )

__all__ = [
    "Connector",
    "Deletion",
    "Edit",
    "Event",
    "FormSubmission",
    "Message",
    "Outbound",
    "OutboundMessage",
    "OutboundReaction",
    "Reaction",
    "Sender",
    "Unreadable",
    "Unsupported",
]

_HOMES = {
    name: "uccn_sdk.chat.connector"
    if name in ("Connector", "Unsupported")
    else "uccn_sdk.chat.events"
    for name in __all__
}

__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
