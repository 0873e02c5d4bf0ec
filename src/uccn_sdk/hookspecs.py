"""Every hook a uccn plugin can implement. These docstrings are the reference.

A plugin is a module or object with functions named after these hooks. Marking them
with ``uccn_sdk.hookimpl`` is optional; any attribute starting with ``uccn_`` that is not
a hook below makes the plugin fail to load, so a typo never passes silently.

Registration hooks receive a ``register`` callback: call it once per thing provided.
The host checks each value, keeps track of which plugin gave it, and refuses duplicates.
Lifecycle hooks are notifications: every implementation is called, each in isolation,
and a failure in one is reported by plugin name without stopping the others. Pluggy is
synchronous; a lifecycle hook may return an awaitable, which the caller awaits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from uccn_sdk.contracts import (
        ChatCommand,
        CitySource,
        ConnectorFactory,
        Exporter,
        MatchScorer,
        MessageTemplate,
        ReplyParser,
    )
    from uccn_sdk.models import Announcement, Call, CreativeField, Reply

PROJECT = "uccn"

hookspec = pluggy.HookspecMarker(PROJECT)


# -------------------------------------------------------------------------------------
# Registration: what a plugin adds to the network's vocabulary and to the bot
# -------------------------------------------------------------------------------------


@hookspec
def uccn_register_fields(register: Callable[[CreativeField], None]) -> None:
    """Add creative fields, such as the eight official ones.

    Called once, when the plugins are loaded.

    :param register: call with each :class:`~uccn_sdk.models.CreativeField`. A slug that
        another plugin registered already is reported as a conflict and the second one
        is ignored.
    """


@hookspec
def uccn_register_city_sources(register: Callable[[CitySource], None]) -> None:
    """Add sources of member cities, such as a directory file the plugin ships.

    Called once, when the plugins are loaded. The store loads each source the first time
    it sees its ``(name, version)`` pair, so a plugin update with new data is loaded once.

    :param register: call with each :class:`~uccn_sdk.contracts.CitySource`.
    """


@hookspec
def uccn_register_match_scorers(register: Callable[[MatchScorer], None]) -> None:
    """Add scorers that say how well two cities fit each other.

    Called once, when the plugins are loaded. The matching engine combines the scores
    of every scorer with the weights from the configuration.

    :param register: call with each :class:`~uccn_sdk.contracts.MatchScorer`.
    """


@hookspec
def uccn_register_reply_parsers(register: Callable[[ReplyParser], None]) -> None:
    """Add parsers that turn a reply's text into structured answers.

    Called once, when the plugins are loaded. Parsers are tried in registration order;
    the first that returns answers (not None) wins.

    :param register: call with each :class:`~uccn_sdk.contracts.ReplyParser`.
    """


@hookspec
def uccn_register_templates(register: Callable[[MessageTemplate], None]) -> None:
    """Add or translate the messages the bot sends.

    Called once, when the plugins are loaded. A template registered under an existing
    name adds its languages to that template; the same name and language twice is a
    conflict.

    :param register: call with each :class:`~uccn_sdk.contracts.MessageTemplate`.
    """


@hookspec
def uccn_register_connectors(register: Callable[[ConnectorFactory], None]) -> None:
    """Add chat connectors, one per platform.

    Called once, when the plugins are loaded. The bot builds the connectors its
    configuration names, each from its section of the configuration.

    :param register: call with each :class:`~uccn_sdk.contracts.ConnectorFactory`.
    """


@hookspec
def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    """Add chat commands, such as ``match`` or ``call list``.

    Called once, when the plugins are loaded. The command's ``help`` is what the ``help``
    command shows; a Secretariat-only command refuses everyone else before it runs.

    :param register: call with each :class:`~uccn_sdk.contracts.ChatCommand`.
    """


@hookspec
def uccn_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Add export formats, such as CSV or JSON, for cities or for the replies to a call.

    Called once, when the plugins are loaded. ``uccn cities export --format NAME`` and
    ``uccn calls export --format NAME`` pick the exporter by its ``format`` and ``kind``.

    :param register: call with each :class:`~uccn_sdk.contracts.Exporter`.
    """


# -------------------------------------------------------------------------------------
# Lifecycle events: notifications; every implementation is called
# -------------------------------------------------------------------------------------


@hookspec
def uccn_call_opened(call: Call) -> object:
    """A call for contributions was opened and its posts are queued.

    :param call: the call, in state ``open``.
    :return: nothing, or an awaitable the caller awaits.
    """


@hookspec
def uccn_reply_received(call: Call, reply: Reply) -> object:
    """A reply to a call was stored, new or edited (see ``reply.history``).

    :param call: the call the reply answers.
    :param reply: the city's current reply, after it was stored.
    :return: nothing, or an awaitable the caller awaits.
    """


@hookspec
def uccn_call_closed(call: Call, replies: list[Reply]) -> object:
    """A call was closed, by hand or at its deadline; no reply is accepted after this.

    :param call: the call, in state ``closed``.
    :param replies: the current, not withdrawn replies, one per city.
    :return: nothing, or an awaitable the caller awaits.
    """


@hookspec
def uccn_announcement_sent(announcement: Announcement, city: str | None) -> object:
    """One delivery of an announcement was posted.

    :param announcement: the announcement.
    :param city: the city the delivery was for, or None for a room-wide delivery.
    :return: nothing, or an awaitable the caller awaits.
    """
