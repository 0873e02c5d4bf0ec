"""The core's own plugin: what every bot answers whatever features are loaded (``help``)."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import ChatCommand


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_sdk.commands import HELP

    register(HELP)
