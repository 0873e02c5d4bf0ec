#!/usr/bin/env python3
"""Set up the development environment and run the demo or the tests. Needs only Python 3.11+.

    python3 dev.py demo     # a call's whole story on a throwaway Synapse, then everything stops
                            # (--web: then the web console on what it left, until Ctrl-C)
    python3 dev.py test     # lint, type checks and the whole test suite
    python3 dev.py tour     # a tour of the city directory and the plugins, on a throwaway store
    python3 dev.py shell    # a shell with the environment activated

The environment is a virtualenv in .venv holding uccn-sdk, the first-party plugins and the bot,
installed in editable mode; it is rebuilt when a pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("UCCN_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def distributions() -> list[Path]:
    """The workspace's distributions: the core first, then plugins and the bot."""
    found = [ROOT]
    found += sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))
    found += [p.parent for p in [ROOT / "bot" / "pyproject.toml"] if p.exists()]
    found += [p.parent for p in [ROOT / "web" / "pyproject.toml"] if p.exists()]
    return found


def plugin_sources() -> list[Path]:
    """The first-party plugins' source folders, for the type checker."""
    return sorted(p.relative_to(ROOT) for p in (ROOT / "plugins").glob("*/src"))


def setup(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an older Python
        sys.exit(f"uccn needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"Creating a virtualenv in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp_file = VENV / ".uccn-installed"
    stamp = hashlib.sha256(extras.encode())
    for dist in distributions():
        stamp.update((dist / "pyproject.toml").read_bytes())
    if stamp_file.exists() and stamp_file.read_text() == stamp.hexdigest():
        return
    print("Installing uccn and its plugins (a minute on the first run) …", flush=True)
    targets: list[str] = []
    for dist in distributions():
        has_extra = extras and f"{extras} =" in (dist / "pyproject.toml").read_text()
        targets += ["-e", f"{dist}[{extras}]" if has_extra else str(dist)]
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--upgrade", "pip"])
    run([*pip, *targets])
    stamp_file.write_text(stamp.hexdigest())


def run(command: list[str], *, check: bool = True, env: dict[str, str] | None = None) -> int:
    result = subprocess.run(command, cwd=ROOT, env=env)
    if check and result.returncode:
        sys.exit(result.returncode)
    return result.returncode


DEMO = [
    ("The plugins uccn loaded, through the `uccn` entry points", "plugins"),
    ("The network's creative fields, in French", "fields --language fr"),
    ("Cities of Literature in Africa", "cities list --field literature --region africa"),
    ("One city and where each fact comes from", "cities show lyon"),
    (
        "An import with mistakes: every bad row is reported and nothing is written",
        "cities import examples/data/cities-with-errors.csv",
    ),
    (
        "The Secretariat fills in coordinates the directory lacks",
        "cities import examples/data/coordinates-2025.csv",
    ),
    ("The same file again changes nothing", "cities import examples/data/coordinates-2025.csv"),
    ("The first Cities of Architecture (2025)", "cities list --field architecture"),
    ("An export, in the form import reads back", "cities export --format csv --country FI"),
]


def demo(arguments: list[str]) -> None:
    setup("demo")
    with tempfile.TemporaryDirectory(prefix="uccn-demo-") as home:
        env = {**os.environ, "UCCN_HOME": home}
        env.pop("UCCN_DATABASE_URL", None)
        run([str(BIN / "uccn"), "bot", "demo", *arguments], env=env)


def tour() -> None:
    setup("")
    uccn = str(BIN / "uccn")
    with tempfile.TemporaryDirectory(prefix="uccn-demo-") as home:
        env = {**os.environ, "UCCN_HOME": home, "COLUMNS": os.environ.get("COLUMNS", "110")}
        env.pop("UCCN_DATABASE_URL", None)
        for title, arguments in DEMO:
            print(f"\n\033[1m# {title}\033[0m\n$ uccn {arguments}", flush=True)
            run([uccn, *shlex.split(arguments)], check=False, env=env)
    print("\nThat was a throwaway store. `uccn --help` (in .venv/bin) shows everything else.")


def test(pytest_args: list[str]) -> None:
    setup("test")
    env = dict(os.environ)
    if env.get("CI"):
        env.setdefault("UCCN_REQUIRE_POSTGRES", "1")
        env.setdefault("UCCN_REQUIRE_BROWSER", "1")
    run([str(BIN / "ruff"), "check", "."])
    run([str(BIN / "ruff"), "format", "--check", "."])
    run(
        [
            str(BIN / "mypy"),
            "src/uccn_sdk",
            "bot/src/uccn_bot",
            "web/src/uccn_web",
            *map(str, plugin_sources()),
        ]
    )
    run([str(BIN / "pytest"), *pytest_args], env=env)


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "demo":
        demo(rest)  # --web: then the web console on the demo's store, until Ctrl-C
    elif command == "tour":
        tour()
    elif command == "test":
        test(rest)
    elif command == "shell":
        setup("test")
        os.execve(
            os.environ.get("SHELL", "/bin/sh"),
            [os.environ.get("SHELL", "/bin/sh")],
            {
                **os.environ,
                "VIRTUAL_ENV": str(VENV),
                "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            },
        )
    else:
        print(__doc__)
        sys.exit(0 if command in ("help", "-h", "--help") else 2)


if __name__ == "__main__":
    main()
