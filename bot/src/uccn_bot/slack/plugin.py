"""Registers the Slack connector."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from uccn_bot.slack import PLATFORM
from uccn_sdk.contracts import ConnectorFactory

if TYPE_CHECKING:
    from uccn_sdk.chat.connector import ConnectorState
    from uccn_sdk.chat.events import OutboundMessage
    from uccn_sdk.config import RoomMap
    from uccn_sdk.diagnosis import Finding


class SlackFactory:
    platform = PLATFORM

    @staticmethod
    async def diagnose(
        config: Mapping[str, Any], rooms: RoomMap | None, secretariat: list[str]
    ) -> list[Finding]:
        """What `uccn doctor` finds on Slack (see uccn_bot.slack.doctor)."""
        from uccn_bot.slack.doctor import diagnose

        return await diagnose(config, rooms, secretariat)

    @staticmethod
    def refusal(message: OutboundMessage) -> str | None:
        """Why Slack would not show `message` whole (checked when a call is written)."""
        from uccn_bot.slack.blocks import refusal

        return refusal(message)

    def __call__(self, config: Mapping[str, Any], state: ConnectorState) -> Any:
        from uccn_bot.slack.connector import SlackConnector
        from uccn_bot.slack.settings import SlackSettings

        return SlackConnector(SlackSettings.from_config(config), state)


def uccn_register_connectors(register: Callable[[ConnectorFactory], None]) -> None:
    register(SlackFactory())
