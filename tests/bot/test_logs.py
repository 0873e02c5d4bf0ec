"""What `uccn bot run` logs: JSON lines a collector reads, and never a secret, even with the
libraries' debug lines on (-vv)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from uccn_bot.homeserver import Synapse

UCCN = Path(sys.executable).parent / "uccn"


def test_json_logs_with_every_debug_line_hold_no_secret(synapse: Synapse, tmp_path: Path) -> None:
    bot = synapse.register(f"logbot-{uuid.uuid4().hex[:6]}")
    config = tmp_path / "uccn.toml"
    config.write_text(
        f"""[connectors.matrix]
homeserver = "{synapse.url}"
user_id = "{bot.user_id}"
password = "{bot.password}"
sync_timeout_ms = 500

[connectors.slack]
bot_token = "xoxb-never-to-be-seen"
app_token = "xapp-never-to-be-seen"
""",
        encoding="utf-8",
    )
    config.chmod(0o600)
    err, out = tmp_path / "bot.err", tmp_path / "bot.out"
    with err.open("w") as stderr, out.open("w") as stdout:
        process = subprocess.Popen(
            [
                *(str(UCCN), "--database-url", f"sqlite:///{tmp_path / 'uccn.db'}"),
                *("--config", str(config), "bot", "run", "-p", "matrix"),
                *("--log-format", "json", "-vv"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "UCCN_HOME": str(tmp_path)},
        )
    try:
        end = time.monotonic() + 60
        while "uccn bot running" not in err.read_text() and time.monotonic() < end:
            assert process.poll() is None, err.read_text()
            time.sleep(0.2)
        time.sleep(2)  # a few syncs, with their debug lines
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    lines = err.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert out.read_text() == ""  # nothing but JSON, and that on stderr
    (running,) = [r for r in records if str(r["message"]).startswith("uccn bot running")]
    assert running["message"] == "uccn bot running on matrix; Ctrl-C stops it."
    assert len(records) > 10  # the libraries' debug lines are there (-vv)
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert {r["logger"].split(".")[0] for r in records} >= {"uccn", "nio"}
    text = "\n".join(lines)
    for secret in (bot.password, "xoxb-never-to-be-seen", "xapp-never-to-be-seen"):
        assert secret not in text
