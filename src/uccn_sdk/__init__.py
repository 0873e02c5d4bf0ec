"""uccn_sdk: the core of uccn, the UNESCO Creative Cities Network's SDK and bot.

What a plugin author uses is importable from here: the marker for hook implementations, the
records (``City``, ``Call``, ``Reply``…), the shapes plugins register (``ChatCommand``,
``CitySource``, ``Exporter``, ``MatchScorer``, ``ReplyParser``…), chat commands declared with
``command`` and their arguments (``word``, ``option``, ``flag``, ``rest``, ``body``), the
``Runtime`` the runtime hooks get, the connector interface, what a scorer works on
(``Network``, ``Profile``), the words of an explanation in the reader's language (``say``,
``listing``, ``spoken_locale``), and the types of the pytest fixtures. Each name is loaded on
first use, so ``import uccn_sdk`` stays cheap. Plugins implement the hooks in
:mod:`uccn_sdk.hookspecs`; mark them with :data:`hookimpl`. Every other module is the core's
own and may change: the plugins in this repository import nothing else
(``tests/test_layout.py`` checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from uccn_sdk.exports import lazy_exports

__version__ = "0.1.0"

if TYPE_CHECKING:
    import pluggy

    from uccn_sdk.arguments import body, flag, option, rest, word
    from uccn_sdk.chat.connector import Connector, ConnectorState, Handler
    from uccn_sdk.chat.events import Event, Message, OutboundMessage, Sender
    from uccn_sdk.commands import Arguments, Command, CommandContext, command
    from uccn_sdk.contracts import (
        ChatCommand,
        CitySource,
        ConnectorFactory,
        Exporter,
        MatchScorer,
        MessageTemplate,
        ReplyParser,
        ScorerIndex,
    )
    from uccn_sdk.matching.network import Network
    from uccn_sdk.matching.profile import Profile
    from uccn_sdk.messages import listing, say, spoken_locale
    from uccn_sdk.models import (
        Announcement,
        Audience,
        Call,
        City,
        CreativeField,
        Designation,
        FocalPoint,
        Match,
        Project,
        Question,
        Region,
        Reply,
        ScorePart,
    )
    from uccn_sdk.runtime.context import Runtime
    from uccn_sdk.testing.network import TestBot, TestNetwork

    hookimpl: pluggy.HookimplMarker
    """Marks a plugin function as a hook implementation (optional for ``uccn_`` names)."""

_HOMES = {
    **dict.fromkeys(
        [
            "Announcement",
            "Audience",
            "Call",
            "City",
            "CreativeField",
            "Designation",
            "FocalPoint",
            "Match",
            "Project",
            "Question",
            "Region",
            "Reply",
            "ScorePart",
        ],
        "uccn_sdk.models",
    ),
    **dict.fromkeys(
        [
            "ChatCommand",
            "CitySource",
            "ConnectorFactory",
            "Exporter",
            "MatchScorer",
            "MessageTemplate",
            "ReplyParser",
            "ScorerIndex",
        ],
        "uccn_sdk.contracts",
    ),
    **dict.fromkeys(["body", "flag", "option", "rest", "word"], "uccn_sdk.arguments"),
    "Arguments": "uccn_sdk.commands",
    "Command": "uccn_sdk.commands",
    "CommandContext": "uccn_sdk.commands",
    "command": "uccn_sdk.commands",
    "Runtime": "uccn_sdk.runtime.context",
    "Network": "uccn_sdk.matching.network",
    "Profile": "uccn_sdk.matching.profile",
    **dict.fromkeys(["listing", "say", "spoken_locale"], "uccn_sdk.messages"),
    "Connector": "uccn_sdk.chat.connector",
    "ConnectorState": "uccn_sdk.chat.connector",
    "Handler": "uccn_sdk.chat.connector",
    "Event": "uccn_sdk.chat.events",
    "Message": "uccn_sdk.chat.events",
    "OutboundMessage": "uccn_sdk.chat.events",
    "Sender": "uccn_sdk.chat.events",
    "TestBot": "uccn_sdk.testing.network",
    "TestNetwork": "uccn_sdk.testing.network",
}

__all__ = [
    "Announcement",
    "Arguments",
    "Audience",
    "Call",
    "ChatCommand",
    "City",
    "CitySource",
    "Command",
    "CommandContext",
    "Connector",
    "ConnectorFactory",
    "ConnectorState",
    "CreativeField",
    "Designation",
    "Event",
    "Exporter",
    "FocalPoint",
    "Handler",
    "Match",
    "MatchScorer",
    "Message",
    "MessageTemplate",
    "Network",
    "OutboundMessage",
    "Profile",
    "Project",
    "Question",
    "Region",
    "Reply",
    "ReplyParser",
    "Runtime",
    "ScorePart",
    "ScorerIndex",
    "Sender",
    "TestBot",
    "TestNetwork",
    "__version__",
    "body",
    "command",
    "flag",
    "hookimpl",
    "listing",
    "option",
    "rest",
    "say",
    "spoken_locale",
    "word",
]

_lazy_getattr, __dir__ = lazy_exports(__name__, _HOMES)


def __getattr__(name: str) -> Any:
    # pluggy is imported when a plugin asks for the marker, not by every `uccn` command.
    if name != "hookimpl":
        return _lazy_getattr(name)
    import pluggy

    from uccn_sdk.hookspecs import PROJECT

    marker = pluggy.HookimplMarker(PROJECT)
    globals()["hookimpl"] = marker
    return marker
