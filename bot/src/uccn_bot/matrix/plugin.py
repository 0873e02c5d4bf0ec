"""Registers the Matrix connector."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from uccn_bot.matrix import PLATFORM
from uccn_sdk.contracts import ConnectorFactory

if TYPE_CHECKING:
    from uccn_sdk.chat.connector import ConnectorState
    from uccn_sdk.config import RoomMap
    from uccn_sdk.diagnosis import Finding


class MatrixFactory:
    platform = PLATFORM

    def __call__(self, config: Mapping[str, Any], state: ConnectorState) -> Any:
        from uccn_bot.matrix.connector import MatrixConnector, MatrixSettings

        return MatrixConnector(MatrixSettings.from_config(config), state)

    @staticmethod
    async def diagnose(
        config: Mapping[str, Any], rooms: RoomMap | None, secretariat: list[str]
    ) -> list[Finding]:
        """What `uccn doctor` finds on Matrix (see uccn_bot.matrix.doctor)."""
        from uccn_bot.matrix.doctor import diagnose

        return await diagnose(config, rooms, secretariat)


def uccn_register_connectors(register: Callable[[ConnectorFactory], None]) -> None:
    register(MatrixFactory())
