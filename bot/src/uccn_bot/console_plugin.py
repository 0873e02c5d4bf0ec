"""Registers the console connector; the connector itself is imported when the bot builds it,
so that `uccn` commands that never chat do not pay for it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from uccn_sdk.contracts import ConnectorFactory

if TYPE_CHECKING:
    from uccn_bot.console import ConsoleConnector
    from uccn_sdk.chat.connector import ConnectorState

PLATFORM = "console"


class ConsoleFactory:
    platform = PLATFORM

    def __call__(self, config: Mapping[str, Any], state: ConnectorState) -> ConsoleConnector:
        from uccn_bot.console import ConsoleConnector

        return ConsoleConnector(
            room=str(config.get("room", "console")),
            user=str(config.get("user", "secretariat")),
            reads=bool(config.get("input", True)),
        )


def uccn_register_connectors(register: Callable[[ConnectorFactory], None]) -> None:
    register(ConsoleFactory())
