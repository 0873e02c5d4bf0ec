"""Diagnostics for plugin authors: a trace of every hook call, and `uccn plugins --check`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.test_plugins import install

NAN_SCORER = """
    import numpy as np

    class Broken:
        name = "broken"
        weight = 1.0

        def index(self, network):
            size = len(network.cities)

            class Index:
                def applies(self, subject):
                    return True

                def score(self, subjects):
                    return np.full((len(subjects), size), np.nan)

                def explain(self, subject, candidate, score):
                    return ""

            return Index()

    def uccn_register_match_scorers(register):
        register(Broken())
"""


def test_the_trace_names_each_hook_call_its_plugin_and_its_time(tmp_path: Path) -> None:
    uccn = Path(sys.executable).parent / "uccn"
    env = {**os.environ, "UCCN_TRACE_PLUGINS": "1", "UCCN_HOME": str(tmp_path)}
    result = subprocess.run(
        [str(uccn), "fields"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Gastronomy" in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("uccn trace: ")]
    assert any("unesco: uccn_register_fields returned in " in line for line in lines), lines
    assert all(line.endswith(" ms") for line in lines)
    quiet = subprocess.run(
        [str(uccn), "fields"],
        env={**env, "UCCN_TRACE_PLUGINS": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "uccn trace" not in quiet.stderr


def test_check_passes_on_the_installed_plugins(uccn) -> None:  # type: ignore[no-untyped-def]
    result: Result = uccn("plugins", "--check")
    assert result.code == 0, result.err
    assert "every hook and scorer answered as it should" in result.out


def test_check_names_a_scorer_that_returns_nan(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    install(tmp_path, monkeypatch, "uccn-broken-scorer", NAN_SCORER)
    assert uccn("plugins").code == 0  # loading alone cannot see it
    result: Result = uccn("plugins", "--check")
    assert result.code == 1
    assert "plugin 'uccn-broken-scorer': scorer 'broken'" in result.err
    assert "not numbers (NaN)" in result.err
