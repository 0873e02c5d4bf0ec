"""Platform-neutral chat: the events connectors deliver and the messages they send."""

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
