"""The repository holds everything its code and tests read: no path climbs out of it.

A clone into an empty folder must build and pass its tests; a path such as
`Path(__file__).parents[3] / "outside"` or `"../data"` that leads outside the checkout works only
on the machine that happens to have that folder beside it.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("src", "bot", "plugins", "tests")
TEXT_SUFFIXES = {".md", ".toml", ".cfg", ".ini", ".txt", ".yml", ".yaml", ".json", ".sh"}
RELATIVE = re.compile(r"(?<![\w.])(?:\.\./)+[\w./-]*")


def inside(path: Path) -> bool:
    return Path(os.path.normpath(path)).is_relative_to(ROOT)


def climbs(source: str, file: Path) -> list[str]:
    """Where `source`, the text of `file`, names a path outside the repository."""
    found = []
    if file.suffix == ".py":
        tree = ast.parse(source, filename=str(file))
        known: dict[str, int] = {}  # names bound to a folder above the file, e.g. HERE = 1
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                steps = _steps_up(node.value, known)
                if isinstance(node.targets[0], ast.Name) and steps is not None:
                    known[node.targets[0].id] = steps
        for node in ast.walk(tree):
            steps = _steps_up(node, known)
            if steps and not inside(file.parents[steps - 1]):
                found.append(f"line {getattr(node, 'lineno', 0)}: {ast.unparse(node)}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for match in RELATIVE.finditer(node.value):
                    if not inside(file.parent / match.group()):
                        found.append(f"line {node.lineno}: {match.group()!r}")
    else:
        # A link in Markdown is read from its file's folder; a path in a command, from the
        # repository's root, where the READMEs say to run them.
        for number, line in enumerate(source.splitlines(), 1):
            for match in RELATIVE.finditer(line):
                link = line[: match.start()].endswith("](")
                if not inside((file.parent if link else ROOT) / match.group()):
                    found.append(f"line {number}: {match.group()!r}")
    return found


def _steps_up(node: ast.AST, known: dict[str, int]) -> int | None:
    """How many folders above a file an expression names: 0 for the file itself (`__file__`,
    `Path(__file__).resolve()`), 1 for `.parent`, 3 for `.parents[2]`; None if not a path
    derived from the file."""
    if isinstance(node, ast.Name):
        return 0 if node.id == "__file__" else known.get(node.id)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
        below = _steps_up(node.value.value, known)
        index = node.slice.value if isinstance(node.slice, ast.Constant) else None
        if node.value.attr == "parents" and below is not None and isinstance(index, int):
            return below + index + 1
        return None
    if isinstance(node, ast.Attribute):
        below = _steps_up(node.value, known)
        if below is None:
            return None
        return below + 1 if node.attr == "parent" else below if node.attr == "resolve" else None
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "Path" and len(node.args) == 1:
            return _steps_up(node.args[0], known)
        return _steps_up(node.func, known)
    return None


def checked_files() -> list[Path]:
    files = []
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or ".egg-info" in str(path):
                continue
            if path.suffix == ".py" or path.suffix in TEXT_SUFFIXES:
                files.append(path)
    return files


def test_no_path_in_the_code_or_tests_climbs_out_of_the_repository() -> None:
    files = [f for f in checked_files() if f != Path(__file__).resolve()]  # its examples climb
    assert len(files) > 100
    escapes = {}
    for path in files:
        found = climbs(path.read_text(encoding="utf-8", errors="replace"), path)
        if found:
            escapes[str(path.relative_to(ROOT))] = found
    assert escapes == {}


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ('SPECS = Path(__file__).resolve().parents[3] / "outside"\n', "tests/slack/spec.py"),
        ('DATA = Path(__file__).parent.parent.parent.parent.parent / "x"\n', "plugins/p/s/a.py"),
        ('DATA = HERE / "../../../../outside/data"\n', "plugins/p/scripts/a.py"),
        (
            'HERE = Path(__file__).resolve().parent\nDATA = HERE.parents[3] / "outside"\n',
            "plugins/p/scripts/a.py",
        ),
        ("    python build.py --data ../outside/data/uccn\n", "plugins/p/README.md"),
    ],
)
def test_a_path_that_climbs_out_is_found(source: str, where: str) -> None:
    assert climbs(source, ROOT / where)


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ('SCORERS = Path(__file__).resolve().parents[2] / "plugins"\n', "tests/matching/t.py"),
        ('SPECS = Path(__file__).resolve().parent / "specs"\n', "tests/slack/spec.py"),
        ('DATA = HERE / "../data-src"\n', "plugins/p/scripts/a.py"),
        ("See [the guide](../docs/guide.md).\n", "plugins/p/README.md"),
    ],
)
def test_a_path_inside_the_repository_is_not_flagged(source: str, where: str) -> None:
    assert climbs(source, ROOT / where) == []
