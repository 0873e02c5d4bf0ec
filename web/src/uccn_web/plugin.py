"""The web console as a plugin: the ``web`` chat command that signs people in."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import ChatCommand


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_web.signing import web_command

    register(web_command)
