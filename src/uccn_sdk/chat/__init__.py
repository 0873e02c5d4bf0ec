"""Platform-neutral chat: the events connectors deliver and the messages they send.

The names below are loaded on first use, so a command that never chats can import
`uccn_sdk.chat.safety` without building every event class.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

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
    "Unsupported",
]

_HOMES = {name: "uccn_sdk.chat.connector" for name in ("Connector", "Unsupported")}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES.get(name, "uccn_sdk.chat.events")), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
