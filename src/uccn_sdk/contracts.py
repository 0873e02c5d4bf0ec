"""What a plugin hands to a `register` callback: the shapes the core accepts.

Each is a `typing.Protocol`, so a plugin needs no base class; the plugin manager checks
the shape when the object is registered and reports a mismatch by plugin name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from pydantic import Field

from uccn_sdk.models.base import Model
from uccn_sdk.models.values import LanguageCode, Slug

if TYPE_CHECKING:  # numpy is loaded only where matching runs, chat only where the bot does
    import numpy as np
    from numpy.typing import NDArray

    from uccn_sdk.chat.connector import Connector, ConnectorState
    from uccn_sdk.matching.network import Network
    from uccn_sdk.matching.profile import Profile
    from uccn_sdk.models import Answer, City, Question


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
    """One reason two cities fit each other, such as a shared field or shared goals.

    The engine calls :meth:`index` once per version of the network (the cities, projects
    and past rounds) and then asks the index for scores as often as it needs.
    """

    name: str
    """A stable name, used for its weight in the configuration: 'field', 'sdgs'."""
    weight: float
    """The weight it proposes; the configuration's ``matching.weights`` overrides it."""

    def index(self, network: Network) -> ScorerIndex:
        """Prepare whatever makes scoring fast (arrays over ``network.cities``)."""
        ...


@runtime_checkable
class ScorerIndex(Protocol):
    """A scorer prepared for one network; row ``i`` of every array is ``network.cities[i]``."""

    def applies(self, subject: Profile) -> bool:
        """Whether this scorer can say anything about `subject` (a text has no field)."""
        ...

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.floating[Any]]:
        """An array of shape ``(len(subjects), len(network))``, every value in [0, 1].

        Vectorised over the candidates: no Python loop over the network's cities.
        """
        ...

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        """Say in a short phrase why `candidate` (a row) got `score`, for a focal point to read;
        '' when there is nothing worth saying.

        Write the phrase in English through :func:`uccn_sdk.messages.say` (and lists through
        :func:`uccn_sdk.messages.listing`): the reader then gets it in their language
        wherever a plugin translates it with the templates hook, English otherwise.
        """
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

    A factory may also have ``refusal(message: OutboundMessage) -> str | None``: why its
    platform would not show `message` whole (too many blocks, too long), or None. The calls
    feature asks it when a call is written, so a call too big for a platform is refused then,
    with the reason, rather than cut or refused when it is posted.
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
