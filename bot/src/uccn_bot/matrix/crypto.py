"""End-to-end encryption for the Matrix connector, through matrix-nio's (vodozemac) support:
where the keys are kept, the one process that may use them, and the key exchanges a client
that calls `sync` itself must make between syncs.

The keys are one device's: two processes using them at once would each consume the other's
one-time keys and ratchet its sessions apart. A lock on the key store keeps them to one
process; with `uccn bot run --workers N`, the first worker runs the Matrix connector.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from nio import AsyncClient, RoomSendError, RoomSendResponse

from uccn_bot.matrix.requests import request
from uccn_sdk.runtime.leader import FileLock
from uccn_sdk.store.location import data_dir

log = logging.getLogger("uccn.matrix")

STORE_FOLDER = "matrix-keys"


def key_store(configured: str | None) -> Path:
    """The folder of the encryption keys: the configured one, else `matrix-keys` in uccn's
    data folder (UCCN_HOME), beside the default database."""
    return Path(configured).expanduser() if configured else data_dir() / STORE_FOLDER


def key_store_lock(folder: Path, user_id: str, device_id: str) -> FileLock:
    """The lock that keeps one device's keys to one process."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # the account's private keys are in there
    return FileLock(folder / f"{user_id}_{device_id}.lock")


def stored_key(folder: Path, user_id: str, device_id: str) -> str | None:
    """The device's ed25519 key as the key store holds it; None when the store has none yet.
    Raises when the store cannot be read (a wrong owner, a damaged file)."""
    if not (folder / f"{user_id}_{device_id}.db").exists():
        return None
    from nio import AsyncClientConfig
    from nio.store import SqliteStore

    pickle_key = AsyncClientConfig().pickle_key  # what the connector's client uses
    account = SqliteStore(user_id, device_id, str(folder), pickle_key=pickle_key).load_account()
    return str(account.identity_keys["ed25519"]) if account else None


def fingerprint(ed25519: str) -> str:
    """A device's ed25519 key as clients show it to compare: groups of four characters."""
    return " ".join(ed25519[i : i + 4] for i in range(0, len(ed25519), 4))


async def exchange_keys(client: AsyncClient) -> None:
    """What matrix-nio's sync loop does between syncs: send the to-device messages it queued
    (room keys), upload one-time keys when the server runs low, fetch the device lists that
    changed, and claim keys for the devices it must open sessions with."""
    if client.olm is None:
        return
    await client.send_to_device_messages()
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())


async def send_encrypted_reaction(
    client: AsyncClient, room_id: str, content: dict[str, Any], tx_id: str
) -> RoomSendResponse | RoomSendError:
    """Send a reaction encrypted, as Element does in an encrypted room: matrix-nio's room_send
    encrypts every event but reactions. Its steps before encrypting are taken here the same way
    (the members loaded, their devices known, the room key shared); the reaction's relation
    stays in the clear, so that clients still group it under its message."""
    assert client.olm is not None
    if not client.rooms[room_id].members_synced:
        await client.joined_members(room_id)
        if client.should_query_keys:
            await client.keys_query()
    if client.olm.should_share_group_session(room_id):
        sharing = client.sharing_session.get(room_id)
        if sharing is not None:
            await sharing.wait()
        else:
            await client.share_group_session(room_id, ignore_unverified_devices=True)
    kind, encrypted = client.encrypt(room_id, "m.reaction", content)
    path = f"rooms/{quote(room_id)}/send/{kind}/{tx_id}"
    status, answer = await request(client, "PUT", path, encrypted)
    if status == 200 and "event_id" in answer:
        return RoomSendResponse(answer["event_id"], room_id)
    return RoomSendError.from_dict(answer, room_id)
