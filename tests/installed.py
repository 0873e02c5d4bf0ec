"""Run commands as a user would, with distributions pip installed into a folder of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def pip_install(site: Path, *projects: Path) -> None:
    """Build and install `projects` into `site` (no download: hatchling is a test extra)."""
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--no-deps"]
    run([*pip, "--no-build-isolation", "--target", str(site), *map(str, projects)], site, site)


def run(command: list[str], site: Path, home: Path, cwd: Path | None = None) -> str:
    """Run `command` with `site` on the path and a fresh UCCN_HOME; its output, or fail."""
    env = {**os.environ, "PYTHONPATH": str(site), "UCCN_HOME": str(home), "COLUMNS": "200"}
    env.pop("UCCN_DATABASE_URL", None)
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def pytest_in(project: Path, site: Path, home: Path) -> str:
    """Run a project's own tests, as its author would; their summary line."""
    out = run([str(BIN / "python"), "-m", "pytest", "-p", "no:cacheprovider"], site, home, project)
    return out.strip().splitlines()[-1]
