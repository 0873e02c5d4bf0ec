"""Chat commands: declared once (by plugins, the core's own included), help generated from them.

A command is declared with :func:`command` and its arguments (:mod:`uccn_sdk.arguments`): the
usage line in the help and the parsing come from the same declaration. The dispatcher checks who
may run a command before it runs, so a Secretariat-only command never starts for anyone else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from uccn_sdk.arguments import ArgumentError, Param, Signature, rest
from uccn_sdk.chat.events import Attachment, Message
from uccn_sdk.chat.safety import MAX_TEXT
from uccn_sdk.config import NetworkConfig
from uccn_sdk.contracts import ChatCommand
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store

if TYPE_CHECKING:
    from uccn_sdk.models import Audience
    from uccn_sdk.runtime.context import Runtime

COMMAND_PREFIX = "!uccn"
"""What a chat message starts with to be a command (in a direct conversation it may be left out;
Slack's /uccn arrives with it)."""


def command_prefix(event: object) -> str:
    """What a command must start with where `event` was written, to say it as it works there:
    nothing in a direct conversation with the bot, `!uccn ` in a room."""
    return "" if getattr(event, "direct", False) else f"{COMMAND_PREFIX} "


@dataclass
class Command:
    """A ready-made :class:`~uccn_sdk.contracts.ChatCommand` for plugins to register; made by
    :func:`command` from a declaration, or by hand for a handler that reads its own text."""

    name: str
    usage: str
    help: str
    handler: Callable[[CommandContext, str], Awaitable[str]]
    secretariat_only: bool = False
    signature: Signature | None = None
    """The declared arguments the usage and the parsing come from (None: the handler reads
    its own text)."""


Arguments = dict[str, Any]
"""A declared command's arguments, by name, as its handler gets them."""


def command(
    name: str, help: str, *params: Param, secretariat_only: bool = False
) -> Callable[[Callable[[CommandContext, Arguments], Awaitable[str]]], Command]:
    """Declare a chat command: its name, its one line of help (marked with ``N_`` to be
    translated) and its arguments; the decorated handler gets them parsed.

    ```python
    @command("met", N_("Say whether you met…"), word("round"), word("met", choices=("yes", "no")))
    async def met(context, arguments):
        ...  # arguments["round"] is the round's id, arguments["met"] "yes" or "no"
    ```
    """
    signature = Signature(params)

    def declare(function: Callable[[CommandContext, Arguments], Awaitable[str]]) -> Command:
        async def handler(context: CommandContext, text: str) -> str:
            return await function(context, signature.parse(text, context.language))

        handler.__doc__ = function.__doc__
        return Command(name, signature.usage(), help, handler, secretariat_only, signature)

    return declare


@dataclass
class CommandContext:
    """What a command's handler gets: the message, who sent it, and the running network (a
    feature's services are kept there: ``Calls.of(context.runtime)``)."""

    event: Message
    runtime: Runtime
    language: str
    is_secretariat: bool
    commands: Commands
    attachment: Attachment | None = None
    """A file to post with the answer (an export): a handler sets it, the bot sends it."""

    @property
    def store(self) -> Store:
        return self.runtime.store

    @property
    def plugins(self) -> Plugins:
        return self.runtime.plugins

    @property
    def config(self) -> NetworkConfig:
        return self.runtime.config


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

    def help(self, language: str, secretariat: bool, topic: str = "") -> str:
        """The commands `secretariat` or not may use, with their usage; those whose name
        starts with `topic` when some do."""
        shown = [c for c in self.registry if secretariat or not c.secretariat_only]
        topic = " ".join(topic.lower().split())
        if topic and any(c.name.startswith(topic) for c in shown):
            shown = [c for c in shown if c.name.startswith(topic)]
        lines = [_(language, "Commands:")]
        for command in sorted(shown, key=lambda c: c.name):
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
            answer = await command.handler(context, arguments)
        except ArgumentError as error:
            # As it works where it was written: with `!uccn ` in a room.
            usage = f"{command_prefix(context.event)}{command.name} {command.usage}".strip()
            return (
                _(language, "That did not work: {reason}", reason=error.said(language))
                + "\n"
                + _(language, "Write: {usage}", usage=usage)
            )
        except UccnError as error:
            return _(language, "That did not work: {reason}", reason=error.said(language))
        if command.secretariat_only:  # the Secretariat's actions are kept: who, when, what
            with context.store.begin() as tx:
                subject = arguments.split(maxsplit=1)[0] if arguments.strip() else ""
                now = context.runtime.clock()
                tx.audit.record(now, context.event.sender, command.name, subject, arguments)
        return answer


def audience_option(spec: str) -> Audience:
    """The audience an ``audience=`` option names, as the command line and every command read
    it (:meth:`Audience.parse`); a clear refusal otherwise."""
    from pydantic import ValidationError

    from uccn_sdk.errors import NotValid
    from uccn_sdk.models import Audience

    try:
        return Audience.parse(spec)
    except ValidationError as error:
        raise NotValid(error, frame=N_("audience: {problems}")) from None
    except ValueError as error:
        if isinstance(error, UccnError):
            raise
        raise UccnError(str(error)) from None


@command("help", N_("Show what you can ask me."), rest("topic", "COMMAND", optional=True))
async def show_help(context: CommandContext, arguments: Arguments) -> str:
    """All the commands, or those whose name starts with the topic (`help call`)."""
    return context.commands.help(context.language, context.is_secretariat, arguments["topic"])


HELP = show_help
