"""The test network, the bot over it, and the connector that records what the bot sends."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uccn_sdk.chat.connector import Connector, Handler
from uccn_sdk.chat.events import Message, Outbound, OutboundMessage, Sender

if TYPE_CHECKING:
    from uccn_sdk.calls.service import Calls
    from uccn_sdk.config import NetworkConfig
    from uccn_sdk.matching.service import Matching
    from uccn_sdk.models import City, FocalPoint
    from uccn_sdk.plugins import Plugins
    from uccn_sdk.runtime.bot import Bot
    from uccn_sdk.store import Store

PLATFORM = "test"
"""The platform name of the test network's users and rooms."""
SECRETARIAT = "@secretariat"
"""The Secretariat's user id on the test platform."""


class _SampleFields:
    """The sample's fields, for an environment with no field plugin installed."""

    def uccn_register_fields(self, register: Callable[[Any], None]) -> None:
        from uccn_sdk import sample

        for field in sample.fields():
            register(field)


class TestNetwork:
    """Five cities, their focal points and rooms, a Secretariat, on a store of their own.

    Focal point ``@<city>`` (``@lyon``) answers for each city, in room ``#<city>``; the
    Secretariat is ``@secretariat`` in ``#secretariat``. ``calls`` and ``matching`` are the
    services the CLI and the bot use, built on first use and again after a plugin changes.
    """

    __test__ = False  # not a test class, though its name starts with Test

    def __init__(self, store: Store, plugins: Plugins, config: NetworkConfig) -> None:
        self.store, self.plugins, self.config = store, plugins, config
        self.now = datetime.now(UTC)
        """The network's clock: set it to move time for calls and reminders."""
        self.version = 0
        """Counts the plugin changes, so what holds the plugins knows to build again."""
        self._event_ids = itertools.count(1)

    @classmethod
    def create(cls, folder: Path, database_url: str | None = None) -> TestNetwork:
        """The network on a fresh store: a SQLite file in `folder`, or the empty database
        `database_url` names (such as a PostgreSQL schema of its own)."""
        from uccn_sdk import sample
        from uccn_sdk.config import NetworkConfig, RoomMap
        from uccn_sdk.models import FocalPoint
        from uccn_sdk.plugins import Plugins
        from uccn_sdk.store import Store

        plugins = Plugins.load()
        if not {f.slug for f in sample.fields()} <= set(plugins.fields().keys()):
            plugins.add(_SampleFields(), "uccn-sample-fields")
        cities = sample.cities()
        config = NetworkConfig(
            rooms={
                PLATFORM: RoomMap(
                    cities={c.id: f"#{c.id}" for c in cities}, secretariat="#secretariat"
                )
            },
            secretariat={PLATFORM: [SECRETARIAT]},
        )
        store = Store.open(database_url or f"sqlite:///{folder / 'uccn-test.db'}")
        with store.begin() as tx:
            tx.cities.put_many(cities)
            tx.focal_points.put_many(
                FocalPoint(
                    id=f"fp-{c.id}",
                    city=c.id,
                    name=f"Focal point of {c.name}",
                    handles={PLATFORM: f"@{c.id}"},
                    language=c.languages[0] if c.languages[0] in ("en", "fr") else "en",
                )
                for c in cities
            )
        return cls(store, plugins, config)

    @property
    def cities(self) -> list[City]:
        with self.store.begin() as tx:
            return list(tx.cities.all())

    def focal_point(self, city: str) -> FocalPoint:
        with self.store.begin() as tx:
            (point,) = tx.focal_points.for_city(city)
        return point

    @cached_property
    def calls(self) -> Calls:
        from uccn_sdk.calls.service import Calls

        return Calls(self.store, self.plugins, self.config, lambda: self.now)

    @cached_property
    def matching(self) -> Matching:
        from uccn_sdk.matching.service import Matching

        return Matching(self.store, self.plugins, self.config)

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Load `plugin` as if installed; raise if it was refused (with the reason).

        None when it is loaded already: the plugin under test, installed with
        ``pip install -e .``, comes through its entry point.
        """
        from uccn_sdk.errors import UccnError

        if self.plugins.name_of(plugin) is not None:
            return None
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        before = len(self.plugins.problems)
        if not self.plugins.add(plugin, name):
            raise UccnError(str(self.plugins.problems[before]))
        self._forget_services()
        return name

    def unregister(self, name: str) -> None:
        self.plugins.remove(name)
        self._forget_services()

    def problems(self) -> list[str]:
        """What went wrong with plugins so far: one line each, naming the plugin."""
        return [str(p) for p in self.plugins.problems]

    def message(
        self,
        user: str,
        text: str,
        *,
        room: str | None = None,
        thread: str | None = None,
        direct: bool = False,
    ) -> Message:
        """A chat message from `user` (``@lyon``) in `room`: by default the user's own room
        (``#lyon``, ``#secretariat``); `thread` is the event id of a thread's first message."""
        return Message(
            platform=PLATFORM,
            room=room or f"#{user.removeprefix('@')}",
            event_id=f"$event-{next(self._event_ids)}",
            sender=Sender(PLATFORM, user),
            text=text,
            thread_root=thread,
            direct=direct,
        )

    def close(self) -> None:
        self.store.close()

    def _forget_services(self) -> None:
        self.version += 1
        self.__dict__.pop("calls", None)
        self.__dict__.pop("matching", None)


class TestBot:
    """The bot over a :class:`TestNetwork`; what it sends is kept in ``sent``, not posted.

    ``say`` hands the bot a message as if typed in chat and returns the texts it sent in
    answer, after the bot has handled it and flushed its outbox.
    """

    __test__ = False

    def __init__(self, network: TestNetwork) -> None:
        self.network = network
        self.connector = RecordingConnector()
        self._bot: Bot | None = None
        self._version = -1

    @property
    def bot(self) -> Bot:
        """The :class:`uccn_sdk.runtime.bot.Bot`, built again when the plugins changed."""
        if self._bot is None or self._version != self.network.version:
            from uccn_sdk.runtime.bot import Bot  # the runtime loads only for the bot's tests

            self._bot = Bot(
                self.network.store,
                self.network.plugins,
                self.network.config,
                [self.connector],
                lambda: self.network.now,
            )
            self._version = self.network.version
        return self._bot

    @property
    def sent(self) -> list[Outbound]:
        return self.connector.sent

    def say(self, user: str, text: str, **where: Any) -> list[str]:
        """`user` writes `text` (``"!uccn help"``; `where` as for
        :meth:`TestNetwork.message`); the texts the bot sent because of it."""
        return asyncio.run(self.say_async(user, text, **where))

    async def say_async(self, user: str, text: str, **where: Any) -> list[str]:
        """As :meth:`say`, from a test that runs in an event loop already."""
        before = len(self.sent)
        await self.bot.handle(self.network.message(user, text, **where))
        await self.bot.flush()
        return [m.text for m in self.sent[before:] if isinstance(m, OutboundMessage)]

    def last_post(self, room: str) -> str:
        """The event id of the last message the bot sent to `room` (to reply in its thread)."""
        for event_id, message in reversed(self.connector.posted):
            if message.room == room:
                return event_id
        raise LookupError(f"the bot sent nothing to {room}")

    def flush(self) -> list[Outbound]:
        """Send what the bot queued (a call's posts, reminders); what was sent."""
        before = len(self.sent)
        asyncio.run(self.bot.flush())
        return self.sent[before:]


class RecordingConnector(Connector):
    """A connector that keeps what it is asked to send; the same key twice is kept once,
    as a platform posts it once."""

    platform = PLATFORM

    def __init__(self, *, attachments: bool = True) -> None:
        self.posted: list[tuple[str, Outbound]] = []
        """What was sent, with the event id each got, oldest first."""
        self._ids: dict[str, str] = {}
        self._stopped = asyncio.Event()
        self._attachments = attachments

    @property
    def attachments(self) -> bool:
        """Whether it takes files, as Matrix and Slack do (a test can say it does not)."""
        return self._attachments

    @property
    def sent(self) -> list[Outbound]:
        return [message for _, message in self.posted]

    async def connect(self) -> None:
        return None

    async def listen(self, handler: Handler) -> None:
        await self._stopped.wait()

    async def disconnect(self) -> None:
        self._stopped.set()

    async def send(
        self, message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        if key not in self._ids:
            self._ids[key] = f"$sent-{len(self.posted) + 1}"
            self.posted.append((self._ids[key], message))
        return self._ids[key]
