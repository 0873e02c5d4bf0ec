"""The Slack emulator for each test; a test that made it record a violation fails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from uccn_bot.slack.connector import SlackConnector
from uccn_bot.slack.settings import SlackSettings

from tests.waiting import until
from uccn_sdk.chat.state import StoredState
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import FocalPoint
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.bot import Bot
from uccn_sdk.store import Store

from .emulator import SlackEmulator

SECRETARIAT = "USEC"


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[SlackEmulator]:
    """A started emulator with a channel #general and a member U1; stopped afterwards."""
    emu = SlackEmulator()
    emu.add_user("U1", "Ada Lovelace", email="ada@example.org")
    emu.add_channel("C1", "general")
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()
    if emu.violations:
        pytest.fail("Slack spec violations:\n" + "\n".join(emu.violations), pytrace=False)


@dataclass
class SlackWorld:
    """A store with the UNESCO cities, Lyon's focal point on Slack, and bots to start."""

    emulator: SlackEmulator
    store: Store
    plugins: Plugins
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    bots: list[Bot] = field(default_factory=list)
    channels: dict[str, str] = field(default_factory=lambda: {"lyon": "C1"})

    def config(self) -> NetworkConfig:
        return NetworkConfig(
            rooms={"slack": RoomMap(cities=dict(self.channels), secretariat="CSEC")},
            secretariat={"slack": [SECRETARIAT]},
        )

    def connector(self, **settings: Any) -> SlackConnector:
        values: dict[str, Any] = {
            "bot_token": self.emulator.bot_token,
            "app_token": self.emulator.app_token,
            "api_url": self.emulator.api_url,
            "channel_rate": 50.0,
            "channel_burst": 10,
        }
        values.update(settings)
        return SlackConnector(SlackSettings.from_config(values), StoredState(self.store, "slack"))

    async def start_bot(self, **settings: Any) -> Bot:
        connector = self.connector(**settings)
        bot = Bot(self.store, self.plugins, self.config(), [connector], poll=0.2)
        self.bots.append(bot)
        self.tasks.append(asyncio.create_task(bot.run()))
        if connector.settings.mode == "socket":
            await self.emulator.wait_connected(len(self.tasks))
        else:
            await until(lambda: connector.port != connector.settings.port or None)
        return bot

    async def stop_bots(self) -> None:
        for bot in self.bots:
            bot.stop()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks.clear()
        self.bots.clear()

    def focal_point(self, city: str, user: str, **values: Any) -> None:
        with self.store.begin() as tx:
            tx.focal_points.put(
                FocalPoint(
                    id=f"fp-{city}",
                    city=city,
                    name=city.title(),
                    handles={"slack": user} if user else {},
                    **values,
                )
            )

    def posts(self, channel: str) -> list[dict[str, Any]]:
        """What the bot posted in `channel`, oldest first."""
        return [m for m in self.emulator.messages.get(channel, []) if m.get("bot_id")]

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return [m for m in self.posts(channel) if m.get("thread_ts") == ts and m["ts"] != ts]


@pytest_asyncio.fixture
async def slack(emulator: SlackEmulator, tmp_path: Path) -> AsyncIterator[SlackWorld]:
    emulator.add_user(SECRETARIAT, "Secretariat")
    emulator.add_user("U2", "Bea", email="bea@example.org")
    emulator.add_channel("CSEC", "secretariat")
    store = Store.open(f"sqlite:///{tmp_path / 'slack.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    world = SlackWorld(emulator, store, plugins)
    world.focal_point("lyon", "U1")
    yield world
    await world.stop_bots()
    store.close()
