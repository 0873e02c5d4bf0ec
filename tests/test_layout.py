"""The code's layout holds: features are plugins in folders of their own, the core never needs
the bot, and no module grows past what a newcomer reads in one sitting."""

from __future__ import annotations

import ast
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from uccn_sdk.plugins import BUILT_IN, Plugins

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "src" / "uccn_sdk"
FEATURES = ("directory", "people", "calls", "announcements", "matching")
MAX_LINES = 500


def python_files(*folders: Path) -> list[Path]:
    return sorted(
        p for folder in folders for p in folder.rglob("*.py") if "__pycache__" not in p.parts
    )


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_in_the_core_or_its_plugins_imports_the_bot() -> None:
    files = python_files(CORE, *(ROOT / "plugins").glob("*/src"))
    assert len(files) > 100
    found = {
        str(path.relative_to(ROOT)): sorted(
            n for n in imported(path) if n.split(".")[0] == "uccn_bot"
        )
        for path in files
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_no_module_is_longer_than_a_newcomer_reads_at_once() -> None:
    files = python_files(CORE, ROOT / "bot" / "src", *(ROOT / "plugins").glob("*/src"))
    long = {
        str(path.relative_to(ROOT)): lines
        for path in files
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_is_a_plugin_in_a_folder_that_says_what_it_owns(feature: str) -> None:
    folder = CORE / feature
    docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and "plugin" in docstring and "owns" in docstring
    assert (folder / "plugin.py").is_file()
    (entry_point,) = [ep for ep in entry_points(group="uccn") if ep.name == feature]
    assert entry_point.value == f"uccn_sdk.{feature}.plugin"


def test_the_cores_plugins_load_first_in_their_documented_order() -> None:
    loaded = [info.name for info in Plugins.load().infos]
    assert loaded[: len(BUILT_IN)] == list(BUILT_IN)
    assert set(FEATURES) < set(BUILT_IN)


def test_the_public_api_is_what_a_plugin_author_uses_and_stays_cheap_to_import() -> None:
    import subprocess
    import sys

    import uccn_sdk

    for name in uccn_sdk.__all__:
        assert getattr(uccn_sdk, name) is not None, name
    assert {"hookimpl", "City", "Command", "ChatCommand", "TestBot"} <= set(uccn_sdk.__all__)
    # Each name loads on first use: importing the package builds no model.
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, uccn_sdk; print('pydantic' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"


def test_our_own_plugins_need_nothing_but_the_public_api() -> None:
    """What a plugin author uses is `uccn_sdk`'s `__all__` (and the hook specifications and the
    test fixtures); every other module of the core is internal. The plugins in this repository
    are written as any author would write them, so the public API is enough to write one."""
    import uccn_sdk

    public = set(uccn_sdk.__all__)
    files = python_files(*(ROOT / "plugins").glob("*/src"), *(ROOT / "examples").glob("*/src"))
    assert len(files) > 10
    found: dict[str, list[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("uccn_sdk"):
                module = node.module or ""
                if module == "uccn_sdk":
                    wrong = [a.name for a in node.names if a.name not in public]
                else:
                    wrong = [] if module in ("uccn_sdk.hookspecs", "uccn_sdk.testing") else [module]
                if wrong:
                    found.setdefault(str(path.relative_to(ROOT)), []).extend(wrong)
            elif isinstance(node, ast.Import):
                wrong = [a.name for a in node.names if a.name.startswith("uccn_sdk.")]
                if wrong:
                    found.setdefault(str(path.relative_to(ROOT)), []).extend(wrong)
    assert found == {}
