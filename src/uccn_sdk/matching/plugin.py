"""Matching as a plugin: the chat commands for peers, rounds and projects, and the bot's work for
rounds: the "yes" and "no" in an introduction's thread, the follow-ups."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from uccn_sdk import hookimpl
from uccn_sdk.contracts import ChatCommand

if TYPE_CHECKING:
    from uccn_sdk.chat.events import Event
    from uccn_sdk.models import RoundGroup
    from uccn_sdk.runtime.context import Runtime


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_sdk.matching.commands import COMMANDS

    for command in COMMANDS:
        register(command)


def uccn_runtime_started(runtime: Runtime) -> None:
    """Build the index in a thread meanwhile, so that the first `match` is answered at once."""
    from uccn_sdk.matching.service import Matching

    runtime.beside(asyncio.to_thread(Matching.of(runtime).warm))


@hookimpl(trylast=True)  # after the calls: a call's thread is theirs
def uccn_handle_event(event: Event, runtime: Runtime) -> RoundGroup | None:
    """A focal point's "yes" or "no" in the thread of their group's introduction."""
    from uccn_sdk.chat.events import Message
    from uccn_sdk.matching.rounds import Rounds

    return Rounds.of(runtime).answer(event) if isinstance(event, Message) else None


def uccn_tick(runtime: Runtime) -> None:
    """Queue the follow-ups of rounds whose time has come."""
    from uccn_sdk.matching.rounds import Rounds

    Rounds.of(runtime).follow_up()
