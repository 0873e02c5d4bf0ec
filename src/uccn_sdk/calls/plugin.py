"""Calls as a plugin: their chat commands, the numbered-answers reply parser, the exports of a
call's replies, and the bot's work for them: the answers in a call's thread, deadlines and
reminders."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from uccn_sdk.contracts import ChatCommand, Exporter, ReplyParser

if TYPE_CHECKING:
    from uccn_sdk.calls.answering import Outcome
    from uccn_sdk.chat.events import Event
    from uccn_sdk.runtime.context import Runtime


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_sdk.calls.commands import COMMANDS

    for command in COMMANDS:
        register(command)


def uccn_register_reply_parsers(register: Callable[[ReplyParser], None]) -> None:
    from uccn_sdk.calls.parsing import NumberedParser

    register(NumberedParser())


def uccn_register_exporters(register: Callable[[Exporter], None]) -> None:
    from uccn_sdk.calls.exporters import (
        ReplyCsvExporter,
        ReplyJsonExporter,
        ReplyMarkdownExporter,
    )

    register(ReplyCsvExporter())
    register(ReplyJsonExporter())
    register(ReplyMarkdownExporter())


def uccn_runtime_started(runtime: Runtime) -> None:
    from uccn_sdk.calls.service import Calls

    calls = Calls.of(runtime)
    for connector in runtime.connectors:
        connector.forms = calls  # a connector with forms asks the calls for them


def uccn_handle_event(event: Event, runtime: Runtime) -> Outcome | None:
    """A reply, an edit, a reaction or a deletion in a call's thread; None for anything else."""
    from uccn_sdk.calls.service import Calls

    outcome = Calls.of(runtime).handle(event)
    return None if outcome.result == "ignored" else outcome


def uccn_tick(runtime: Runtime) -> None:
    """Close the calls past their deadline and queue the reminders that are due."""
    from uccn_sdk.calls.service import Calls

    calls = Calls.of(runtime)
    calls.close_due()
    calls.queue_reminders()
