"""The one small interface every chat connector implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from uccn_sdk.chat.events import Event, Outbound
from uccn_sdk.chat.forms import Forms
from uccn_sdk.errors import UccnError

Handler = Callable[[Event], Awaitable[None]]


class ConnectorState(Protocol):
    """Where a connector keeps its position in the platform's stream between runs."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class Unsupported(UccnError):
    """The platform cannot do what was asked (a form on Matrix, say)."""


class Refused(UccnError):
    """The platform refused this message for good; sending it again would not help."""


class Connector(ABC):
    """Connects to one platform, delivers its events, and sends messages.

    `send` takes an idempotency key: sending the same key twice must not post twice, so
    a crash between sending and recording the send never doubles a message. `retry` says
    that a send with this key may have been tried before; a platform that deduplicates
    by itself (Matrix transaction ids) can ignore it, another looks before posting again:
    around `since`, when the last try began (each try looked for the one before it).

    `forms` is set by the calls feature before `connect`: where a connector with forms (a Slack
    modal) finds a call's questions and checks answers while the user waits.
    """

    forms: Forms | None = None

    platform: str

    @property
    def exclusive(self) -> bool:
        """Whether only one process may run this connector at a time (it holds state of its
        own, such as Matrix's encryption keys): with several workers, the first runs it."""
        return False

    @property
    def attachments(self) -> bool:
        """Whether `send` posts a message's attachment as a file; where it does not, the
        sender says the attachment's fallback instead."""
        return False

    @property
    def rate_limit_seconds(self) -> float:
        """Seconds spent waiting on the platform's rate limits so far, pacing included (the
        metrics read it); a connector that never waits leaves it at 0."""
        return 0.0

    @abstractmethod
    async def connect(self) -> None:
        """Log in and get ready; raise UccnError with a clear message when it cannot."""

    @abstractmethod
    async def listen(self, handler: Handler) -> None:
        """Deliver events to `handler` until `disconnect`; return when disconnected.

        An event counts as handled once `handler` returns; a connector that keeps a
        position in the platform's stream (a sync token) advances it only then.
        """

    @abstractmethod
    async def disconnect(self) -> None: ...

    @abstractmethod
    async def send(
        self, message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        """Post `message`; return the platform's event id. Raise Unsupported if it cannot."""
