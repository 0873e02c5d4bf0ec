"""Logging in as homeservers now do it: a homeserver that lets access tokens expire (refresh
tokens, as Synapse with `refreshable_access_token_lifetime` or the Matrix Authentication
Service issue them) does not stop the bot."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nio import RoomCreateResponse, RoomVisibility
from uccn_bot.homeserver import Synapse
from uccn_bot.matrix.connector import MatrixConnector, MatrixSettings

from tests.bot.conftest import running
from tests.bot.test_matrix_calls import send
from tests.bot.test_matrix_history import answers, said
from tests.waiting import eventually, until
from uccn_sdk.chat.state import StoredState
from uccn_sdk.config import NetworkConfig
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.bot import Bot
from uccn_sdk.store import Store

pytestmark = pytest.mark.asyncio

LIFETIME = 4.0


@pytest.fixture(scope="module")
def expiring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """A Synapse whose refreshable access tokens last a few seconds."""
    yield from running(
        Synapse(
            tmp_path_factory.mktemp("expiring"),
            settings={"refreshable_access_token_lifetime": f"{LIFETIME:.0f}s"},
        )
    )


async def test_an_expired_access_token_is_renewed_and_the_bot_goes_on(
    expiring: Synapse, tmp_path: Path
) -> None:
    suffix = uuid.uuid4().hex[:6]
    bot_user = expiring.register(f"bot-{suffix}")
    boss_user = expiring.register(f"boss-{suffix}")
    boss = expiring.client(boss_user)  # a registration's token, which does not expire
    created = await boss.room_create(visibility=RoomVisibility.private, invite=[bot_user.user_id])
    assert isinstance(created, RoomCreateResponse)
    room = str(created.room_id)
    store = Store.open(f"sqlite:///{tmp_path / 'uccn.db'}")
    settings = MatrixSettings.from_config(
        {
            "homeserver": expiring.url,
            "user_id": bot_user.user_id,
            "password": bot_user.password,
            "allowed_inviters": ["uccn.test"],
            "sync_timeout_ms": 500,
            "retry_seconds": 0.5,
            "store_path": str(tmp_path / "keys"),
        }
    )
    connector = MatrixConnector(settings, StoredState(store, "matrix"))
    bot = Bot(
        store,
        Plugins.load(),
        NetworkConfig(secretariat={"matrix": [boss_user.user_id]}),
        [connector],
    )
    running = asyncio.create_task(bot.run())
    try:
        await until(lambda: room in connector.client.rooms, timeout=30)
        first: Any = connector.client.access_token
        await asyncio.sleep(LIFETIME + 2)  # the token the login gave has expired by now
        await until(lambda: connector.client.access_token != first, timeout=30)
        await send(boss, room, said("!uccn help"))  # handled and answered on the new token
        (answer,) = await eventually(lambda: answers(boss, room, bot_user.user_id), timeout=30)
        assert "Commands" in answer
    finally:
        bot.stop()
        await asyncio.gather(running, return_exceptions=True)
        await boss.close()
        store.close()
