"""What `uccn bot keys` says: the bot's device and fingerprint, and the recovery key once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from uccn_bot.matrix.connector import MatrixSettings
from uccn_bot.matrix.crypto import fingerprint, key_store, stored_key
from uccn_bot.matrix.signing import load, secret_file
from uccn_sdk.errors import UccnError


def report(config: Mapping[str, Any]) -> list[str]:
    settings = MatrixSettings.from_config(config)
    folder = key_store(settings.store_path)
    user, device = settings.user_id, settings.device_id
    try:
        mine = stored_key(folder, user, device)
    except Exception as error:  # a wrong owner, a damaged file: said, not a traceback
        raise UccnError(f"the key store in {folder} cannot be read: {error}") from None
    if mine is None:
        raise UccnError(f"no keys for {user}'s device {device} in {folder} yet: start the bot once")
    lines = [f"device {device} of {user}", f"fingerprint {fingerprint(mine)}"]
    identity = load(folder, user)
    if identity is None:
        return [*lines, "cross-signing: not set up yet (the bot sets it up when it starts)"]
    lines.append(f"cross-signing master key {identity.key('master').public}")
    shown = secret_file(folder, user).with_suffix(".shown")
    if shown.exists():
        return [
            *lines,
            f"recovery key: shown on {shown.read_text().strip()}, not again; it is kept in "
            f"{secret_file(folder, user)} (back the folder up)",
        ]
    shown.write_text(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC") + "\n")
    return [
        *lines,
        f"recovery key: {identity.recovery_key}",
        "Write it down and keep it safe; it is not shown again. With it (recovery_key in "
        "[connectors.matrix]) a bot on a new machine or device takes its identity back.",
    ]
