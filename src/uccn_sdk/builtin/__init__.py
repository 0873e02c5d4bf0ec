"""The core's own plugin: what uccn does before any other plugin is installed."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk.builtin.exporters import CityCsvExporter, CityJsonExporter
from uccn_sdk.builtin.reply_exporters import (
    ReplyCsvExporter,
    ReplyJsonExporter,
    ReplyMarkdownExporter,
)
from uccn_sdk.calls.parsing import NumberedParser
from uccn_sdk.contracts import ChatCommand, Exporter, ReplyParser


def uccn_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(CityCsvExporter())
    register(CityJsonExporter())
    register(ReplyCsvExporter())
    register(ReplyJsonExporter())
    register(ReplyMarkdownExporter())


def uccn_register_reply_parsers(register: Callable[[ReplyParser], None]) -> None:
    register(NumberedParser())


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    from uccn_sdk.builtin import commands, matching_commands

    for command in [*commands.COMMANDS, *matching_commands.COMMANDS]:
        register(command)
