"""Announcements as a plugin: the Secretariat's chat commands for them."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import ChatCommand


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_sdk.announcements.commands import COMMANDS

    for command in COMMANDS:
        register(command)
