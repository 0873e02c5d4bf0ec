"""What the store and the configuration hold stays their owner's (issue 22, finding 13)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from uccn_sdk.config import exposed_secrets
from uccn_sdk.store import Store


def test_a_new_sqlite_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "uccn.db"
    store = Store.open(f"sqlite:///{path}")
    with store.begin() as tx:
        tx.connector_state.set("test", "key", "value")  # writes: the -wal file exists now
    store.close()
    for made in [path, *tmp_path.glob("data/uccn.db-*")]:
        assert stat.S_IMODE(made.stat().st_mode) & 0o077 == 0, made


CONFIG = """
[connectors.matrix]
homeserver = "https://matrix.example.org"
user_id = "@uccn:example.org"
password = "hunter2"
[connectors.slack]
bot_token = "xoxb-1"
signing_secret = "s"
"""


def test_secrets_others_can_read_are_named(tmp_path: Path) -> None:
    path = tmp_path / "uccn.toml"
    path.write_text(CONFIG, encoding="utf-8")
    path.chmod(0o644)
    assert exposed_secrets(path) == [
        "connectors.matrix.password",
        "connectors.slack.bot_token",
        "connectors.slack.signing_secret",
    ]
    path.chmod(0o600)
    assert exposed_secrets(path) == []


def test_uccn_bot_run_warns_of_a_configuration_others_can_read(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "uccn.toml"
    path.write_text('[connectors.slack]\nbot_token = "xoxb-1"\n', encoding="utf-8")
    path.chmod(0o644)
    result = uccn("--config", str(path), "bot", "run", "--platform", "nowhere")
    assert f"warning: {path} holds secrets (connectors.slack.bot_token)" in result.err
    assert f"chmod 600 {path}" in result.err
