"""A cross-signed bot, on the real Synapse: the homeserver's own key endpoints hold its keys and
signatures, a client that sends only to verified devices reaches it, and its identity survives
a restart and comes back on a new device from the recovery key."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from nio import AsyncClient, OlmUnverifiedDeviceError, RoomSendResponse
from uccn_bot.matrix.crypto import fingerprint
from uccn_bot.matrix.signing import Identity, published_keys, verify

from tests.bot.conftest import World
from tests.bot.test_matrix_encryption import (
    catch_up,
    encrypted_room,
    encrypting_client,
    open_survey,
    said_by_bot,
    stored,
    thread,
)
from tests.waiting import eventually, until

pytestmark = pytest.mark.asyncio


def _key(keys: dict[str, Any], kind: str, user: str) -> tuple[str, dict[str, Any]]:
    value = keys[kind][user]
    return next(iter(value["keys"].values())), value


async def cross_signed_devices(client: AsyncClient, user: str) -> set[str]:
    """The devices of `user` that its self-signing key signed, itself signed by its master key:
    those a client that trusts `user`'s master key trusts (as Element does once verified)."""
    keys = await published_keys(client, user)
    master, _ = _key(keys, "master_keys", user)
    self_signing, value = _key(keys, "self_signing_keys", user)
    if not verify(master, value, value["signatures"][user][f"ed25519:{master}"]):
        return set()
    found = set()
    for device_id, device in keys["device_keys"][user].items():
        signature = device.get("signatures", {}).get(user, {}).get(f"ed25519:{self_signing}")
        if signature and verify(self_signing, device, signature):
            found.add(device_id)
    return found


async def lyon_and_the_bot(world: World) -> tuple[AsyncClient, str, Any]:
    """Lyon's encrypting client in its encrypted room, and the bot there, cross-signed."""
    lyon = await encrypting_client(world, "lyon")
    room = await encrypted_room(world, "Lyon", [lyon])
    world.rooms["city:lyon"] = room
    bot = await world.start_bot()
    connector: Any = bot.connectors["matrix"]
    await until(lambda: connector.identity is not None and room in connector.client.rooms)
    return lyon, room, bot


async def test_a_client_that_sends_only_to_verified_devices_reaches_the_cross_signed_bot(
    world: World,
) -> None:
    lyon, room, bot = await lyon_and_the_bot(world)
    me = world.bot_user.user_id
    assert await cross_signed_devices(lyon, me) == {"UCCNBOT"}

    open_survey(world, bot, ["lyon"])

    async def post() -> str | None:
        found = [m for m in await said_by_bot(lyon, room, me) if m["body"] and not m["thread"]]
        return str(found[0]["event_id"]) if found else None

    root = await eventually(post, timeout=60)
    await catch_up(lyon)
    answer = thread(root, "1. 5")
    with pytest.raises(OlmUnverifiedDeviceError):  # the bot's device is not trusted yet
        await lyon.room_send(room, "m.room.message", answer, ignore_unverified_devices=False)
    # Lyon trusts the bot's account (verified once): its cross-signed devices are trusted.
    for device_id in await cross_signed_devices(lyon, me):
        lyon.verify_device(lyon.device_store[me][device_id])
    sent = await lyon.room_send(room, "m.room.message", answer, ignore_unverified_devices=False)
    assert isinstance(sent, RoomSendResponse), sent
    await until(lambda: stored(world).get("lyon") == {"q1": 5.0}, timeout=60)


async def test_the_identity_survives_a_restart_and_returns_from_the_recovery_key(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await world.start_bot()
    connector: Any = bot.connectors["matrix"]
    await until(lambda: connector.identity is not None)
    identity: Identity = connector.identity
    master = identity.key("master").public
    await world.kill_bot()

    bot = await world.start_bot()  # the same store: the same keys, nothing uploaded again
    connector = bot.connectors["matrix"]
    await until(lambda: connector.identity is not None)
    assert connector.identity.key("master").public == master
    await world.kill_bot()

    # A new machine: an empty key store and a new device. Without the recovery key the
    # account's keys cannot be used (said in the log); with it, the new device is signed.
    keys = world.folder / "keys-elsewhere"
    with caplog.at_level(logging.WARNING, "uccn.matrix"):
        bot = await world.start_bot(store_path=str(keys), device_id="NEWDEVICE")
        connector = bot.connectors["matrix"]
        await until(lambda: connector.client.olm is not None and bot.ready.is_set())
    assert connector.identity is None
    assert any("recovery_key" in r.getMessage() for r in caplog.records)
    await world.kill_bot()

    bot = await world.start_bot(
        store_path=str(world.folder / "keys-recovered"),
        device_id="RECOVERED",
        recovery_key=identity.recovery_key,
    )
    connector = bot.connectors["matrix"]
    await until(lambda: connector.identity is not None)
    assert connector.identity.key("master").public == master
    watcher = world.secretariat_client
    assert await cross_signed_devices(watcher, world.bot_user.user_id) >= {"UCCNBOT", "RECOVERED"}


async def test_a_recovery_key_with_a_typo_is_refused_at_once() -> None:
    identity = Identity.new()
    key = identity.recovery_key
    assert Identity.from_recovery_key(key.lower()).secret == identity.secret
    typo = key[:-3] + ("A" if key[-3] != "A" else "B") + key[-2:]
    with pytest.raises(Exception, match=r"typo|cannot be read"):
        Identity.from_recovery_key(typo)


async def test_uccn_bot_keys_shows_the_fingerprint_and_the_recovery_key_once(
    world: World, uccn: Any
) -> None:
    bot = await world.start_bot()
    connector: Any = bot.connectors["matrix"]
    await until(lambda: connector.identity is not None)
    ed25519 = str(connector.client.olm.account.identity_keys["ed25519"])
    recovery = connector.identity.recovery_key
    config = world.folder / "uccn.toml"
    config.write_text(
        "[connectors.matrix]\n"
        f'homeserver = "{world.synapse.url}"\nuser_id = "{world.bot_user.user_id}"\n'
        f'password = "{world.bot_user.password}"\nstore_path = "{world.folder / "matrix-keys"}"\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
    first = uccn("--config", str(config), "bot", "keys")
    assert first.code == 0, first.err
    assert f"device UCCNBOT of {world.bot_user.user_id}" in first.out
    assert fingerprint(ed25519) in first.out
    assert f"recovery key: {recovery}" in first.out
    again = uccn("--config", str(config), "bot", "keys")
    assert recovery not in again.out and "not again" in again.out
    assert Identity.from_recovery_key(recovery).key("master").public in again.out
