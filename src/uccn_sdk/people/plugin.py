"""People as a plugin: the chat commands that link them to their cities."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import ChatCommand


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_sdk.people.commands import COMMANDS

    for command in COMMANDS:
        register(command)
