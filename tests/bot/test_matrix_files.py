"""An export asked for in chat arrives on the real Synapse as a file: an ``m.file`` event whose
caption is the short answer, its content in the homeserver's media repository (encrypted in an
encrypted room, as Element uploads a file there)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    DownloadResponse,
    RoomEncryptedFile,
    RoomMessagesResponse,
)
from nio.crypto import decrypt_attachment

from tests.bot.conftest import World
from tests.bot.test_matrix_calls import bot_messages, send
from tests.bot.test_matrix_encryption import MEGOLM, catch_up, open_survey, say
from tests.waiting import eventually, until

pytestmark = pytest.mark.asyncio

ASKED = {"msgtype": "m.text", "body": "!uccn call export survey csv"}
CAPTION = "The answers to “Annual survey”: 0 of 2 cities, in the file survey.csv."
"""Lyon and Bologna are asked; Lyon's room is the Secretariat's own, for the test."""


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


async def test_an_export_is_posted_as_a_file_with_its_summary_as_caption(world: World) -> None:
    world.rooms["secretariat"] = world.rooms["city:lyon"] = await world.room("Secretariat", [])
    bot = await world.start_bot()
    client = bot.connectors["matrix"].client  # type: ignore[attr-defined]
    await until(lambda: world.rooms["secretariat"] in client.rooms)
    open_survey(world, bot, ["lyon", "bologna"])
    bot.wake()
    room = world.rooms["secretariat"]
    await send(world.secretariat_client, room, ASKED)

    async def the_file() -> dict[str, Any] | None:
        found = await bot_messages(world.secretariat_client, room, world.bot_user.user_id)
        files = [e["content"] for e in found if e["content"].get("msgtype") == "m.file"]
        return files[0] if files else None

    content = await eventually(the_file)
    assert content["body"] == CAPTION  # the caption: one message, no table in the text
    assert (content["filename"], content["info"]["mimetype"]) == ("survey.csv", "text/csv")
    downloaded = await world.secretariat_client.download(mxc=content["url"])
    assert isinstance(downloaded, DownloadResponse), downloaded
    assert {row["city"] for row in rows_of(downloaded.body)} == {"lyon", "bologna"}


async def test_in_an_encrypted_room_the_file_is_encrypted_too(world: World) -> None:
    keys = world.folder / "keys-secretariat"
    keys.mkdir()
    secretariat = world.secretariat
    reader = AsyncClient(
        world.synapse.url,
        secretariat.user_id,
        device_id=secretariat.device_id,
        store_path=str(keys),
        config=AsyncClientConfig(store_sync_tokens=True, encryption_enabled=True),
    )
    reader.restore_login(secretariat.user_id, secretariat.device_id, secretariat.access_token)
    await reader.keys_upload()
    created = await reader.room_create(
        name="Secretariat",
        invite=[world.bot_user.user_id],
        initial_state=[{"type": "m.room.encryption", "state_key": "", "content": MEGOLM}],
    )
    room = str(created.room_id)  # type: ignore[union-attr]
    world.rooms["secretariat"] = world.rooms["city:lyon"] = room
    bot = await world.start_bot()
    client = bot.connectors["matrix"].client  # type: ignore[attr-defined]
    await until(lambda: room in client.rooms)
    open_survey(world, bot, ["lyon", "bologna"])
    await say(reader, room, ASKED)

    async def the_file() -> RoomEncryptedFile | None:
        await catch_up(reader)
        response = await reader.room_messages(room, start="", limit=50)
        assert isinstance(response, RoomMessagesResponse), response
        found = [e for e in response.chunk if isinstance(e, RoomEncryptedFile)]
        return found[0] if found else None

    event = await eventually(the_file)
    assert event.body == CAPTION
    assert "url" not in event.source["content"]  # only inside the encrypted content
    downloaded = await reader.download(mxc=event.url)
    assert isinstance(downloaded, DownloadResponse), downloaded
    plain = decrypt_attachment(downloaded.body, event.key["k"], event.hashes["sha256"], event.iv)
    assert {row["city"] for row in rows_of(plain)} == {"lyon", "bologna"}
    await reader.close()
