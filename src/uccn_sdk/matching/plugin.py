"""Matching as a plugin: the chat commands for peers, rounds and projects."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import ChatCommand


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_sdk.matching.commands import COMMANDS

    for command in COMMANDS:
        register(command)
