"""`uccn plugin new`: what it writes installs, passes its own tests and changes uccn's output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.installed import BIN, pip_install, pytest_in, run


def test_a_new_plugin_installs_passes_its_tests_and_changes_the_suggestions(
    uccn, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    scorer, command = tmp_path / "uccn-same-region", tmp_path / "uccn-hello"
    made: Result = uccn("plugin", "new", "same-region", "--folder", str(scorer))
    assert made.code == 0, made.err
    assert "pip install -e '.[test]' && pytest" in made.out
    assert uccn("plugin", "new", "hello", "--kind", "command", "--folder", str(command)).code == 0
    site, home = tmp_path / "site", tmp_path / "home"
    pip_install(site, scorer, command)
    for project in (scorer, command):
        assert "2 passed" in pytest_in(project, site, home)
    listed = run([str(BIN / "uccn"), "plugins", "--check"], site, home)
    assert "uccn-same-region 0.1.0" in listed and "uccn-hello 0.1.0" in listed
    matched = run([str(BIN / "uccn"), "match", "lyon", "--explain"], site, home)
    assert "both in Europe and North America" in matched


def test_a_bad_name_or_a_full_folder_is_refused(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad: Result = uccn("plugin", "new", "Flight Hours!", "--folder", str(tmp_path / "x"))
    assert bad.code == 1
    assert "lowercase letters, digits and hyphens" in bad.err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    full: Result = uccn("plugin", "new", "ok", "--folder", str(tmp_path / "full"))
    assert full.code == 1 and "is not empty" in full.err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    unknown: Result = uccn(
        "plugin", "new", "ok", "--kind", "theme", "--folder", str(tmp_path / "y")
    )
    assert unknown.code == 1 and "choose scorer or command" in unknown.err
    assert not (tmp_path / "y").exists()


@pytest.mark.parametrize("name", ["uccn-flight-hours", "flight-hours"])
def test_the_uccn_prefix_is_not_doubled(uccn, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    assert uccn("plugin", "new", name, "--folder", str(tmp_path / "p")).code == 0
    assert 'name = "uccn-flight-hours"' in (tmp_path / "p" / "pyproject.toml").read_text()


@pytest.mark.parametrize("kind", ["scorer", "command"])
def test_a_new_plugin_is_typed_for_mypy_strict(uccn, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "uccn-typed"
    assert uccn("plugin", "new", "typed", "--kind", kind, "--folder", str(project)).code == 0
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
