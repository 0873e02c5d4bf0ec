"""`uccn doctor` against the Slack emulator: a token missing a scope the features use, a channel
the bot is not in, one that does not exist, and a Secretariat user nobody knows."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from .emulator import SlackEmulator

pytestmark = pytest.mark.asyncio

UCCN = Path(sys.executable).parent / "uccn"


async def test_the_doctor_finds_a_missing_scope_and_a_channel_without_the_bot(
    emulator: SlackEmulator, tmp_path: Path
) -> None:
    emulator.scopes -= {"reactions:write"}
    emulator.add_channel("C9", "bologna")["is_member"] = False
    config = tmp_path / "uccn.toml"
    config.write_text(
        f"""secretariat = {{ slack = ["UNOBODY"] }}

[rooms.slack.cities]
lyon = "C1"
bologna = "C9"
toulouse = "CGONE"

[connectors.slack]
bot_token = "{emulator.bot_token}"
app_token = "{emulator.app_token}"
api_url = "{emulator.api_url}"
""",
        encoding="utf-8",
    )
    config.chmod(0o600)
    database = f"sqlite:///{tmp_path / 'uccn.db'}"
    env = {**os.environ, "UCCN_HOME": str(tmp_path)}
    upgrade = await asyncio.create_subprocess_exec(
        str(UCCN), "--database-url", database, "db", "upgrade", env=env
    )
    assert await upgrade.wait() == 0
    doctor = await asyncio.create_subprocess_exec(
        *(str(UCCN), "--database-url", database, "--config", str(config), "doctor"),
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    out, _ = await doctor.communicate()
    said = out.decode()
    assert doctor.returncode == 1, said
    assert "ok   slack: logged in as uccn_bot" in said
    assert (
        "FAIL slack: the bot token lacks reactions:write (acknowledging answers with a reaction)"
        in said
    )
    assert "FAIL slack: not in #bologna (C9)\n     fix: invite the bot to the channel" in said
    assert "FAIL slack: channel CGONE: channel_not_found" in said
    assert "FAIL slack: the Secretariat user UNOBODY cannot be found: user_not_found" in said
