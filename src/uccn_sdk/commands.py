"""Chat commands: declared once (by plugins, the core's own included), help generated from them.

The dispatcher checks who may run a command before it runs, so a Secretariat-only command
never starts for anyone else.
"""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from uccn_sdk.chat.events import Message
from uccn_sdk.chat.safety import MAX_TEXT
from uccn_sdk.config import NetworkConfig
from uccn_sdk.contracts import ChatCommand
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store

if TYPE_CHECKING:
    from uccn_sdk.calls.service import Calls
    from uccn_sdk.matching.service import Matching
    from uccn_sdk.models import Audience

COMMAND_PREFIX = "!uccn"
"""What a chat message starts with to be a command (in a direct conversation it may be left out;
Slack's /uccn arrives with it)."""


@dataclass
class Command:
    """A ready-made :class:`~uccn_sdk.contracts.ChatCommand` for plugins to register."""

    name: str
    usage: str
    help: str
    handler: Callable[[CommandContext, str], Awaitable[str]]
    secretariat_only: bool = False


@dataclass
class CommandContext:
    event: Message
    calls: Calls
    store: Store
    plugins: Plugins
    config: NetworkConfig
    language: str
    is_secretariat: bool
    commands: Commands
    matching: Matching | None = None
    """Kept by the bot between commands, so the index is built once."""


class Commands:
    def __init__(self, plugins: Plugins) -> None:
        self.registry = plugins.commands()

    def find(self, text: str) -> tuple[ChatCommand, str] | None:
        """The command `text` starts with (the longest name that matches) and its arguments."""
        words = text.strip().split(maxsplit=2)
        for size in (2, 1):
            name = " ".join(words[:size]).lower()
            command = self.registry.get(name)
            if command is not None and len(words) >= size:
                # The rest as written (its lines kept), however many spaces came before it.
                parts = text.strip().split(maxsplit=size)
                return command, parts[size].strip() if len(parts) > size else ""
        return None

    def help(self, language: str, secretariat: bool) -> str:
        lines = [_(language, "Commands:")]
        for command in sorted(self.registry, key=lambda c: c.name):
            if command.secretariat_only and not secretariat:
                continue
            usage = f" {command.usage}" if command.usage else ""
            marker = " " + _(language, "(Secretariat)") if command.secretariat_only else ""
            lines.append(f"• {command.name}{usage}: {_(language, command.help)}{marker}")
        return "\n".join(lines)

    async def run(self, context: CommandContext, text: str) -> str:
        """Run the command in `text`; return the answer, an error explained, or the help."""
        language = context.language
        if len(text) > MAX_TEXT:
            return _(language, "That message is too long for a command.")
        found = self.find(text)
        if found is None:
            return (
                _(language, "I do not know that command.")
                + "\n"
                + self.help(language, context.is_secretariat)
            )
        command, arguments = found
        if command.secretariat_only and not context.is_secretariat:
            return _(language, "Only the Secretariat can use “{command}”.", command=command.name)
        try:
            return await command.handler(context, arguments)
        except UccnError as error:
            return _(language, "That did not work: {reason}", reason=str(error))


def request_parts(arguments: str) -> tuple[list[str], dict[str, str], str]:
    """A request's first line as words and key=value options, and the lines after it."""
    first, _newline, body = arguments.partition("\n")
    try:
        words = shlex.split(first)
    except ValueError as error:
        raise UccnError(f"the first line cannot be read ({error})") from None
    options = dict(word.split("=", 1) for word in words[1:] if "=" in word)
    return words, options, body


def one_word(language: str, arguments: str, what: str) -> str:
    """The one word `arguments` should be (an id, a city); a clear refusal otherwise."""
    words = arguments.split()
    if len(words) != 1:
        raise UccnError(_(language, "give one {what}", what=what))
    return words[0]


def audience_option(spec: str) -> Audience:
    """The audience an ``audience=`` option names, as the command line and every command read
    it (:meth:`Audience.parse`); a clear refusal otherwise."""
    from pydantic import ValidationError

    from uccn_sdk.errors import describe_error
    from uccn_sdk.models import Audience

    try:
        return Audience.parse(spec)
    except ValidationError as error:
        raise UccnError(f"audience: {describe_error(error)}") from None
    except ValueError as error:
        raise UccnError(str(error)) from None


async def show_help(context: CommandContext, arguments: str) -> str:
    return context.commands.help(context.language, context.is_secretariat)


HELP = Command("help", "", N_("Show what you can ask me."), show_help)
