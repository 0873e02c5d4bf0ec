"""A real Synapse for the whole session, and a bot and focal points on it for each test."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from nio import AsyncClient, RoomCreateResponse, RoomVisibility
from uccn_bot.homeserver import Synapse, User
from uccn_bot.matrix.connector import MatrixConnector, MatrixSettings

from uccn_sdk.chat.state import StoredState
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import FocalPoint
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.bot import Bot
from uccn_sdk.store import Store


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """Synapse on loopback. If it does not start, the tests fail: they are never skipped."""
    yield from running(Synapse(tmp_path_factory.mktemp("synapse"), metrics=True))


def running(server: Synapse) -> Iterator[Synapse]:
    """`server` started for a fixture, and stopped after; a test fails if it does not start."""
    try:
        server.start()
    except Exception as error:
        pytest.fail(f"Synapse did not start: {error}")
    yield server
    server.stop()


async def client_for(synapse: Synapse, user: User) -> AsyncClient:
    return synapse.client(user)


@dataclass
class World:
    synapse: Synapse
    store: Store
    plugins: Plugins
    bot_user: User
    secretariat: User
    secretariat_client: AsyncClient
    folder: Path
    rooms: dict[str, str] = field(default_factory=dict)
    clients: dict[str, AsyncClient] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    bots: list[Bot] = field(default_factory=list)
    timeline_limit: int = 50

    def config(self) -> NetworkConfig:
        return NetworkConfig(
            rooms={
                "matrix": RoomMap(
                    cities={
                        k.removeprefix("city:"): v
                        for k, v in self.rooms.items()
                        if k.startswith("city:")
                    },
                    fields={
                        k.removeprefix("field:"): v
                        for k, v in self.rooms.items()
                        if k.startswith("field:")
                    },
                    secretariat=self.rooms.get("secretariat"),
                )
            },
            secretariat={"matrix": [self.secretariat.user_id]},
        )

    def connector(self, **settings: Any) -> MatrixConnector:
        values: dict[str, Any] = {
            "homeserver": self.synapse.url,
            "user_id": self.bot_user.user_id,
            "password": self.bot_user.password,
            "device_id": "UCCNBOT",
            "allowed_inviters": ["uccn.test"],
            "timeline_limit": self.timeline_limit,
            "sync_timeout_ms": 500,
            "retry_seconds": 0.5,
            "store_path": str(self.folder / "matrix-keys"),
        }
        values.update(settings)
        return MatrixConnector(
            MatrixSettings.from_config(values), StoredState(self.store, "matrix")
        )

    async def start_bot(self, **settings: Any) -> Bot:
        bot = Bot(self.store, self.plugins, self.config(), [self.connector(**settings)])
        self.bots.append(bot)
        self.tasks.append(asyncio.create_task(bot.run()))
        return bot

    async def kill_bot(self) -> None:
        """Stop the bot the hard way: its task is cancelled, nothing is flushed or saved."""
        task = self.tasks.pop()
        bot = self.bots.pop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        for connector in bot.connectors.values():
            if isinstance(connector, MatrixConnector):
                await connector.client.close()  # no logout: the device and its state stay
                if connector.keys_lock is not None:  # as the kernel frees a dead process's
                    connector.keys_lock.release()
            else:
                await connector.disconnect()

    async def room(self, name: str, members: list[AsyncClient]) -> str:
        """A room made by the Secretariat, with the bot and `members` in it."""
        created = await self.secretariat_client.room_create(
            visibility=RoomVisibility.private,
            name=name,
            invite=[self.bot_user.user_id] + [m.user_id for m in members],
        )
        assert isinstance(created, RoomCreateResponse), created
        for member in members:
            await member.join(created.room_id)
        return str(created.room_id)

    async def focal_point(self, city: str, language: str = "en") -> AsyncClient:
        user = self.synapse.register(f"fp-{city}-{uuid.uuid4().hex[:6]}")
        client = await client_for(self.synapse, user)
        self.link(city, user, client, language)
        return client

    def link(self, city: str, user: User, client: AsyncClient, language: str = "en") -> None:
        """Make `user` (whose client is `client`) the focal point of `city`."""
        self.clients[city] = client
        with self.store.begin() as tx:
            tx.focal_points.put(
                FocalPoint(
                    id=f"fp-{city}",
                    city=city,
                    name=city.title(),
                    handles={"matrix": user.user_id},
                    language=language,
                )
            )


@pytest_asyncio.fixture
async def world(synapse: Synapse, tmp_path: Path) -> AsyncIterator[World]:
    store = Store.open(f"sqlite:///{tmp_path / 'bot.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    suffix = uuid.uuid4().hex[:6]
    bot_user = synapse.register(f"uccnbot-{suffix}")
    secretariat = synapse.register(f"secretariat-{suffix}")
    synapse.relax(secretariat.user_id)
    world = World(
        synapse,
        store,
        plugins,
        bot_user,
        secretariat,
        await client_for(synapse, secretariat),
        tmp_path,
    )
    yield world
    while world.tasks:
        await world.kill_bot()
    for client in [world.secretariat_client, *world.clients.values()]:
        await client.close()
    store.close()
