"""The `uccn` command with a room map, as an operator configures it."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFIG = """
[secretariat]
matrix = ["@sec:uccn.test"]
[rooms.matrix]
secretariat = "!sec"
cities = { lyon = "!lyon" }
fields = { music = "!music" }
"""


@pytest.fixture
def configured(uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "uccn.toml"
    path.write_text(CONFIG)
    monkeypatch.setenv("UCCN_CONFIG", str(path))
    return uccn
