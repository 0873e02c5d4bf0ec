"""The example plugins in examples/: each installs with pip and passes its own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.installed import BIN, pip_install, pytest_in, run

EXAMPLES = sorted(
    p.parent for p in (Path(__file__).parents[1] / "examples").glob("*/pyproject.toml")
)


SEEN_IN_UCCN = {
    # What a user sees change in `uccn` once the example is installed.
    "uccn-circus": (["fields", "--language", "pt"], "Artes circenses"),
    "uccn-flight-hours": (["match", "lyon", "--explain"], "hour' flight apart"),
}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_example_installs_and_passes_its_tests(example: Path, tmp_path: Path) -> None:
    site, home = tmp_path / "site", tmp_path / "home"
    pip_install(site, example)
    summary = pytest_in(example, site, home)
    assert " passed" in summary and "failed" not in summary and "error" not in summary
    listed = run([str(BIN / "uccn"), "plugins", "--check"], site, home)
    assert f"{example.name} 0.1.0" in listed
    if example.name in SEEN_IN_UCCN:
        arguments, expected = SEEN_IN_UCCN[example.name]
        assert expected in run([str(BIN / "uccn"), *arguments], site, home)


def test_there_are_examples() -> None:
    assert [p.name for p in EXAMPLES] == ["uccn-circus", "uccn-flight-hours", "uccn-webhook"]
