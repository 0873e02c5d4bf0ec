"""What `uccn bot run` says when a platform's address cannot be reached: which connector,
which address, what to check; and no "Unclosed client session" noise after it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

UCCN = Path(sys.executable).parent / "uccn"
NOWHERE = "http://no-such-host.invalid:8008"


def _run_bot(tmp_path: Path, platform: str, section: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "uccn.toml"
    config.write_text(section, encoding="utf-8")
    config.chmod(0o600)
    return subprocess.run(
        [
            *(str(UCCN), "--database-url", f"sqlite:///{tmp_path / 'uccn.db'}"),
            *("--config", str(config), "bot", "run", "-p", platform),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "UCCN_HOME": str(tmp_path)},
    )


def test_a_homeserver_that_does_not_resolve_is_named_with_what_to_check(tmp_path: Path) -> None:
    result = _run_bot(
        tmp_path,
        "matrix",
        f"""[connectors.matrix]
homeserver = "{NOWHERE}"
user_id = "@bot:no-such-host.invalid"
password = "not-a-real-password"
""",
    )
    assert result.returncode == 1
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert error.startswith("error: the matrix connector could not connect: ")
    assert f"homeserver {NOWHERE}" in error
    assert "check homeserver in [connectors.matrix]" in error
    assert "DNS" in error and "network" in error
    assert "Unclosed client session" not in result.stderr
    assert "Traceback" not in result.stderr  # the line says it all
    assert "not-a-real-password" not in result.stderr


@pytest.mark.parametrize("mode", ["socket", "http"])
def test_a_slack_address_that_does_not_resolve_is_named_with_what_to_check(
    tmp_path: Path, mode: str
) -> None:
    result = _run_bot(
        tmp_path,
        "slack",
        f"""[connectors.slack]
bot_token = "xoxb-not-a-real-token"
app_token = "xapp-not-a-real-token"
signing_secret = "not-a-real-secret"
mode = "{mode}"
api_url = "{NOWHERE}/api/"
max_retries = 0
""",
    )
    assert result.returncode == 1
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert error.startswith("error: the slack connector could not connect: ")
    assert f"Slack's Web API at {NOWHERE}/api/" in error
    assert "check api_url in [connectors.slack]" in error
    assert "DNS" in error and "network" in error
    assert "Unclosed client session" not in result.stderr
    assert "Traceback" not in result.stderr
    assert "xoxb-not-a-real-token" not in result.stderr
