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


def test_check_tells_of_an_optional_scorer_that_is_not_installed_and_passes(
    uccn, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from uccn_match import embeddings

    for module in [m for m in sys.modules if m.startswith("wordllama.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "wordllama", None)  # as if the extra were not installed
    embeddings.model.cache_clear()
    try:
        result: Result = uccn("plugins", "--check")
    finally:
        embeddings.model.cache_clear()
    assert result.code == 0, result.err
    assert "plugin problem" not in result.err
    assert "scorer 'embeddings' is optional and not installed" in result.out
    assert "pip install 'uccn-match[embeddings]'" in result.out
    assert "every hook and scorer answered as it should" in result.out


HINTING_SCORER = """
    class Hinting:
        name = "hinting"
        weight = 1.0

        def index(self, network):
            raise RuntimeError("configure it first, see uccn-hinting[docs] and [matching]")

    def uccn_register_match_scorers(register):
        register(Hinting())
"""

MISNAMED_IMPORT_SCORER = """
    class Misnamed:
        name = "misnamed"
        weight = 1.0

        def index(self, network):
            from numpy import no_such_function

    def uccn_register_match_scorers(register):
        register(Misnamed())
"""


def test_check_prints_a_problem_exactly_as_the_plugin_wrote_it(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    install(tmp_path, monkeypatch, "uccn-hinting", HINTING_SCORER)
    result: Result = uccn("plugins", "--check")
    assert result.code == 1
    assert "configure it first, see uccn-hinting[docs] and [matching]" in result.err
    assert "1 plugin problem (see the warnings above)" in result.err


def test_check_fails_on_a_name_missing_from_an_installed_package(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    install(tmp_path, monkeypatch, "uccn-misnamed", MISNAMED_IMPORT_SCORER)
    result: Result = uccn("plugins", "--check")
    assert result.code == 1
    assert "plugin 'uccn-misnamed': scorer 'misnamed'" in result.err
    assert "not installed" not in result.out + result.err
