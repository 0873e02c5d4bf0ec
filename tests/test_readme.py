"""The README's examples stay true."""

from __future__ import annotations

import tomllib
from pathlib import Path

from uccn_bot.slack.settings import SlackSettings

from uccn_sdk.config import NetworkConfig

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_configuration_example_is_valid() -> None:
    example = README.split("```toml\n", 1)[1].split("```", 1)[0]
    config = NetworkConfig.model_validate(tomllib.loads(example))
    assert config.is_secretariat("matrix", "@secretariat:example.org")
    assert config.rooms["matrix"].cities["lyon"] == "!lyon:example.org"


def test_the_slack_configuration_example_builds_a_connector() -> None:
    example = README.split("```toml\n", 2)[2].split("```", 1)[0]
    values = tomllib.loads(example)
    config = NetworkConfig.model_validate(values)
    assert config.is_secretariat("slack", "U012SECRET")
    settings = SlackSettings.from_config(values["connectors"]["slack"])
    assert settings.mode == "socket" and settings.app_token == "xapp-…"


def test_the_quick_start_is_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines() if line.strip()]
    assert commands == ["python3 dev.py demo", "python3 dev.py test"]
