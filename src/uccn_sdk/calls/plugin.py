"""Calls as a plugin: their chat commands, the numbered-answers reply parser, and the exports
of a call's replies."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.contracts import ChatCommand, Exporter, ReplyParser


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
