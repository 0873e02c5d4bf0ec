"""`uccn doctor` against a real Synapse: each problem an operator would hit in the first hour,
with its fix, and a non-zero exit."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from nio import RoomCreateResponse, RoomVisibility
from uccn_bot.homeserver import Synapse

from tests.bot.conftest import client_for
from tests.conftest import Result


async def _rooms(synapse: Synapse, bot_id: str, bot_client_user: object) -> tuple[str, str]:
    secretariat = synapse.register(f"docsec-{uuid.uuid4().hex[:6]}")
    boss = await client_for(synapse, secretariat)
    joined = await boss.room_create(visibility=RoomVisibility.private, invite=[bot_id])
    alone = await boss.room_create(visibility=RoomVisibility.private)
    assert isinstance(joined, RoomCreateResponse) and isinstance(alone, RoomCreateResponse)
    bot = await client_for(synapse, bot_client_user)  # type: ignore[arg-type]
    await bot.join(joined.room_id)
    await bot.close()
    await boss.close()
    return str(joined.room_id), str(alone.room_id)


def test_the_doctor_finds_a_room_the_bot_is_not_in_and_a_secretariat_user_that_is_not(
    uccn, synapse: Synapse, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bot = synapse.register(f"docbot-{uuid.uuid4().hex[:6]}")
    joined, alone = asyncio.run(_rooms(synapse, bot.user_id, bot))
    config = tmp_path / "uccn.toml"
    config.write_text(
        f"""secretariat = {{ matrix = ["@nobody-at-all:uccn.test"] }}

[rooms.matrix.cities]
lyon = "{joined}"
bologna = "{alone}"

[connectors.matrix]
homeserver = "{synapse.url}"
user_id = "{bot.user_id}"
password = "{bot.password}"
""",
        encoding="utf-8",
    )
    database = f"sqlite:///{tmp_path / 'uccn.db'}"
    assert uccn("--database-url", database, "db", "upgrade").code == 0
    result: Result = uccn("--database-url", database, "--config", str(config), "doctor")
    assert result.code == 1
    said = result.out
    assert "ok   the database answers, at schema revision" in said
    assert f"ok   matrix: logged in as {bot.user_id}" in said
    assert f"ok   matrix: in {joined} (city lyon), and may post, react and redact" in said
    assert (
        f"FAIL matrix: not in {alone} (city bologna)\n     fix: invite the bot to the room" in said
    )
    assert "FAIL matrix: the Secretariat user @nobody-at-all:uccn.test cannot be found" in said
    assert "FAIL matrix: no room reaches 403 of 405 cities" in said
    assert said.rstrip().endswith("problems found.")


def test_the_doctor_says_what_a_wrong_password_is(uccn, synapse: Synapse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bot = synapse.register(f"docbot-{uuid.uuid4().hex[:6]}")
    config = tmp_path / "uccn.toml"
    config.write_text(
        f"""[connectors.matrix]
homeserver = "{synapse.url}"
user_id = "{bot.user_id}"
password = "not-the-password"
""",
        encoding="utf-8",
    )
    result = uccn(
        "--database-url", f"sqlite:///{tmp_path / 'uccn.db'}", "--config", str(config), "doctor"
    )
    assert result.code == 1
    assert f"FAIL matrix: cannot log in as {bot.user_id} at {synapse.url}: " in result.out
    assert "fix: check homeserver, user_id and password" in result.out


class Memory(dict[str, str]):
    """Where a connector keeps its place, for a connector run without a store."""

    def set(self, key: str, value: str) -> None:
        self[key] = value


def test_the_doctor_checks_the_encryption_key_store(uccn, synapse: Synapse, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from uccn_bot.matrix.connector import MatrixConnector, MatrixSettings
    from uccn_bot.matrix.crypto import fingerprint

    bot = synapse.register(f"docbot-{uuid.uuid4().hex[:6]}")
    keys = tmp_path / "keys"
    settings = {
        "homeserver": synapse.url,
        "user_id": bot.user_id,
        "password": bot.password,
        "store_path": str(keys),
    }
    config = tmp_path / "uccn.toml"
    config.write_text(
        "[connectors.matrix]\n" + "".join(f'{k} = "{v}"\n' for k, v in settings.items()),
        encoding="utf-8",
    )
    database = f"sqlite:///{tmp_path / 'uccn.db'}"

    def doctor() -> Result:
        return uccn("--database-url", database, "--config", str(config), "doctor")  # type: ignore[no-any-return]

    assert uccn("--database-url", database, "db", "upgrade").code == 0
    first = doctor()
    assert first.code == 0, first.out
    assert f"ok   matrix: the bot's encryption keys will be made in {keys}" in first.out

    async def first_start() -> str:
        connector = MatrixConnector(MatrixSettings.from_config(settings), Memory())
        await connector.connect()  # makes the device's keys and uploads them
        ed25519 = str(connector.client.olm.account.identity_keys["ed25519"])
        await connector.disconnect()
        return ed25519

    ed25519 = asyncio.run(first_start())
    said = doctor().out
    assert f"ok   matrix: the key store {keys} holds the device UCCNBOT's keys" in said
    assert fingerprint(ed25519) in said

    keys.rename(tmp_path / "keys-elsewhere")  # a new machine, the store left behind
    result = doctor()
    assert result.code == 1
    assert (
        "FAIL matrix: the homeserver holds encryption keys for the device UCCNBOT, and the "
        f"key store {keys} does not" in result.out
    )
    assert "fix: restore the key store this device was set up with" in result.out
