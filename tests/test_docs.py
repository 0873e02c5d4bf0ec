"""The documentation builds (strict: no broken link, no missing snippet) and covers every hook."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from uccn_sdk import hookspecs

ROOT = Path(__file__).resolve().parents[1]
HOOKS = [name for name in dir(hookspecs) if name.startswith("uccn_")]
TYPES = ["CreativeField", "City", "FocalPoint", "Project", "Call", "Reply", "Announcement", "Match"]


def test_the_site_builds_with_every_hook_and_type(tmp_path: Path) -> None:
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    hooks = (site / "reference" / "hooks" / "index.html").read_text()
    for hook in HOOKS:
        assert f'id="uccn_sdk.hookspecs.{hook}"' in hooks, f"{hook} is missing from the reference"
    assert hooks.count("Example:") >= len(HOOKS)
    api = (site / "reference" / "api" / "index.html").read_text()
    import uccn_sdk

    for name in uccn_sdk.__all__:
        if name != "__version__":
            assert f'id="uccn_sdk.{name}"' in api, f"{name} is missing from the public API page"
    types = (site / "reference" / "models" / "index.html").read_text()
    for name in TYPES:
        assert f'id="uccn_sdk.models.{name}"' in types, f"{name} is missing from the types"
    page = (site / "plugins" / "tutorial" / "index.html").read_text()
    tutorial = html.unescape(re.sub(r"<[^>]+>", "", page))
    example = ROOT / "examples" / "uccn-flight-hours" / "src" / "uccn_flight_hours" / "__init__.py"
    for line in example.read_text().splitlines():  # the example's code, included whole
        assert line.strip() in tutorial
