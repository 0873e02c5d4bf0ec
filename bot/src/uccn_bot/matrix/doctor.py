"""What `uccn doctor` checks on Matrix: the bot logs in; it is in every room of the room map
and may post, react and redact there; invites wait; the Secretariat's users exist; the
encryption key store is readable and holds the device's keys."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinedRoomsResponse,
    LoginResponse,
    ProfileGetError,
    RoomGetStateEventResponse,
    SyncResponse,
)

from uccn_bot.matrix.crypto import fingerprint, key_store, key_store_lock, stored_key
from uccn_bot.matrix.signing import published_keys
from uccn_sdk.config import RoomMap
from uccn_sdk.diagnosis import Finding
from uccn_sdk.errors import UccnError

from .connector import MatrixSettings

log = logging.getLogger("uccn.matrix")


async def diagnose(
    config: Mapping[str, Any], rooms: RoomMap | None, secretariat: list[str]
) -> list[Finding]:
    settings = MatrixSettings.from_config(config)
    client = AsyncClient(
        settings.homeserver,
        settings.user_id,
        device_id=settings.device_id,
        config=AsyncClientConfig(store_sync_tokens=False, encryption_enabled=False),
    )
    try:
        if settings.access_token:
            client.restore_login(settings.user_id, settings.device_id, settings.access_token)
            whoami = await client.whoami()
            logged_in = getattr(whoami, "user_id", None) == settings.user_id
            reason = getattr(whoami, "message", "the token is refused")
        else:
            login = await client.login(settings.password or "", device_name="uccn bot")
            logged_in = isinstance(login, LoginResponse)
            reason = getattr(login, "message", str(login))
        if not logged_in:
            return [
                Finding(
                    False,
                    f"matrix: cannot log in as {settings.user_id} at {settings.homeserver}: "
                    f"{reason}",
                    "check homeserver, user_id and password (or access_token) in "
                    "[connectors.matrix]",
                )
            ]
        findings = [Finding(True, f"matrix: logged in as {settings.user_id}")]
        findings += await _rooms(client, settings.user_id, rooms)
        findings += await _people(client, secretariat)
        findings += await _keys(client, settings)
        return findings
    finally:
        await client.close()  # no logout: the bot's device stays as it is


async def _rooms(client: AsyncClient, me: str, rooms: RoomMap | None) -> list[Finding]:
    if rooms is None:
        return []
    wanted: dict[str, list[str]] = {}
    for city, room in rooms.cities.items():
        wanted.setdefault(room, []).append(f"city {city}")
    for field, room in rooms.fields.items():
        wanted.setdefault(room, []).append(f"field {field}")
    for role, shared in (
        ("the Secretariat", rooms.secretariat),
        ("introductions", rooms.introductions),
    ):
        if shared:
            wanted.setdefault(shared, []).append(role)
    joined = await client.joined_rooms()
    inside = set(joined.rooms) if isinstance(joined, JoinedRoomsResponse) else set()
    synced = await client.sync(timeout=0, full_state=True)
    invited = set(synced.rooms.invite) if isinstance(synced, SyncResponse) else set()
    findings = []
    for room, uses in sorted(wanted.items()):
        named = f"{room} ({', '.join(uses[:3])}{' …' if len(uses) > 3 else ''})"
        if room in invited:
            findings.append(
                Finding(
                    False,
                    f"matrix: invited to {named} but not in it yet",
                    "start the bot: it joins when the inviter is in allowed_inviters",
                )
            )
        elif room not in inside:
            findings.append(Finding(False, f"matrix: not in {named}", "invite the bot to the room"))
        else:
            findings.append(await _powers(client, me, room, named))
    return findings


async def _powers(client: AsyncClient, me: str, room: str, named: str) -> Finding:
    """Whether the bot may post, react and redact in `room`."""
    response = await client.room_get_state_event(room, "m.room.power_levels")
    levels = response.content if isinstance(response, RoomGetStateEventResponse) else {}
    mine = int((levels.get("users") or {}).get(me, levels.get("users_default", 0)))
    events = levels.get("events") or {}
    default = int(levels.get("events_default", 0))
    needed = {
        "post": int(events.get("m.room.message", default)),
        "react": int(events.get("m.reaction", default)),
        "redact its own": int(events.get("m.room.redaction", default)),
    }
    missing = [what for what, level in needed.items() if mine < level]
    if missing:
        return Finding(
            False,
            f"matrix: in {named}, but may not {', '.join(missing)} (power {mine})",
            "raise the bot's power level in the room, or lower what those need",
        )
    return Finding(True, f"matrix: in {named}, and may post, react and redact")


async def _people(client: AsyncClient, secretariat: list[str]) -> list[Finding]:
    findings = []
    for user in secretariat:
        profile = await client.get_profile(user)
        if isinstance(profile, ProfileGetError):
            findings.append(
                Finding(
                    False,
                    f"matrix: the Secretariat user {user} cannot be found: {profile.message}",
                    "fix the id in [secretariat] matrix",
                )
            )
    return findings


async def _keys(client: AsyncClient, settings: MatrixSettings) -> list[Finding]:
    """Whether the encryption key store can be read and holds this device's keys: the keys
    the homeserver has for the device must be the store's (a store lost or swapped for
    another makes the bot's first start fail)."""
    if not settings.encryption:
        return [Finding(True, "matrix: encryption is off: encrypted messages are not read")]
    folder = key_store(settings.store_path)
    user, device = settings.user_id, settings.device_id
    on_server = await _device_key(client, user, device)
    try:
        mine = stored_key(folder, user, device)
    except Exception as error:
        return [
            Finding(
                False,
                f"matrix: the key store in {folder} cannot be read: {error}",
                "check that the bot's user may read and write it, or restore it from a backup",
            )
        ]
    if mine is None:
        if on_server:
            return [
                Finding(
                    False,
                    f"matrix: the homeserver holds encryption keys for the device {device}, "
                    f"and the key store {folder} does not",
                    "restore the key store this device was set up with, or set a new "
                    "device_id in [connectors.matrix] (and remove the old device)",
                )
            ]
        return [Finding(True, f"matrix: the bot's encryption keys will be made in {folder}")]
    if on_server and on_server != mine:
        return [
            Finding(
                False,
                f"matrix: the key store in {folder} does not hold the keys the homeserver has "
                f"for the device {device}",
                "restore the key store this device was set up with, or set a new device_id",
            )
        ]
    lock = key_store_lock(folder, user, device)
    running = not lock.try_acquire()
    lock.release()
    return [
        Finding(
            True,
            f"matrix: the key store {folder} holds the device {device}'s keys (fingerprint "
            f"{fingerprint(mine)}){'; a running bot uses it' if running else ''}",
        )
    ]


async def _device_key(client: AsyncClient, user: str, device: str) -> str | None:
    """The ed25519 key the homeserver holds for `device`, if any."""
    try:
        keys = await published_keys(client, user)
    except UccnError as error:
        log.warning("%s", error)
        return None
    device_keys = keys.get("device_keys", {}).get(user, {}).get(device, {}).get("keys", {})
    found = device_keys.get(f"ed25519:{device}")
    return found if isinstance(found, str) else None
