"""What a plugin hands to a `register` callback: the shapes the core accepts.

Each is a `typing.Protocol`, so a plugin needs no base class; the plugin manager checks
the shape when the object is registered and reports a mismatch by plugin name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import IO, Any, Literal, Protocol, runtime_checkable

from pydantic import Field

from uccn_sdk.chat.connector import Connector, ConnectorState
from uccn_sdk.models import Answer, City, Question
from uccn_sdk.models.base import Model
from uccn_sdk.models.match import Party
from uccn_sdk.models.values import LanguageCode, Slug


@runtime_checkable
class CitySource(Protocol):
    """A provider of member cities, such as the UNESCO directory a plugin ships."""

    name: str
    """A stable name, such as 'unesco'."""

    @property
    def version(self) -> str:
        """Changes whenever the data changes, so the store knows to load it again."""
        ...

    def load(self) -> Iterable[City]: ...


RecordKind = Literal["cities", "replies"]


@runtime_checkable
class Exporter(Protocol):
    """Writes records of one kind in one format, such as cities as CSV."""

    format: str
    """The name users pass to `--format`, such as 'csv'."""
    kind: RecordKind

    def write(self, records: Iterable[Any], out: IO[str]) -> int:
        """Write the records to `out`; return how many were written."""
        ...


@runtime_checkable
class MatchScorer(Protocol):
    """Scores candidate cities against a subject, each score in [0, 1]."""

    name: str

    def score(self, subject: Party, candidates: Sequence[City]) -> Sequence[float]: ...

    def explain(self, subject: Party, candidate: City, score: float) -> str:
        """Say in a short phrase why `candidate` got `score`, for a focal point to read."""
        ...


@runtime_checkable
class ReplyParser(Protocol):
    """Turns a reply's text into answers keyed by question id."""

    name: str

    def parse(self, text: str, questions: Sequence[Question]) -> Mapping[str, Answer] | None:
        """Return the answers, or None when the text is not in this parser's form."""
        ...


class MessageTemplate(Model):
    """A message the bot sends, per language, with `{placeholders}`."""

    name: Slug
    texts: dict[LanguageCode, str] = Field(min_length=1)


@runtime_checkable
class ConnectorFactory(Protocol):
    """Builds a chat connector for one platform from its configuration.

    `state` keeps the connector's position (a sync token) in the store between runs.
    """

    platform: str

    def __call__(self, config: Mapping[str, Any], state: ConnectorState) -> Connector: ...


@runtime_checkable
class ChatCommand(Protocol):
    """A command a chat user types, such as `call list`.

    `handler(context, arguments)` receives a :class:`uccn_sdk.commands.CommandContext`
    and the text after the command's name, and returns the answer to post.
    """

    name: str
    """One or two words: 'help', 'call list'."""
    usage: str
    """The arguments, for the help: 'ID [csv|json|md]'."""
    help: str
    """One line saying what the command does."""
    secretariat_only: bool

    @property
    def handler(self) -> Callable[[Any, str], Awaitable[str]]: ...
