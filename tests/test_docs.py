"""The documentation builds (strict: no broken link) and covers every hook; its pages read the
same on GitHub as on the site, and what they show works: code, configuration, examples."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from uccn_sdk import hookspecs, sample
from uccn_sdk.config import NetworkConfig

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HOOKS = [name for name in dir(hookspecs) if name.startswith("uccn_")]
TYPES = ["CreativeField", "City", "FocalPoint", "Project", "Call", "Reply", "Announcement", "Match"]
FLIGHT_HOURS = ROOT / "examples" / "uccn-flight-hours"
MIRRORED = {
    "plugins/tutorial.md": [
        FLIGHT_HOURS / "src" / "uccn_flight_hours" / "__init__.py",
        FLIGHT_HOURS / "tests" / "test_flight_hours.py",
    ],
}
"""The pages that show an example's files whole, in Python code blocks, and those files."""
ROLES = "class|func|meth|mod|attr|data|exc|obj|ref|doc|term"
WRITTEN_ROLE = re.compile(rf":(?:py:)?(?:{ROLES}):`|\{{(?:py:)?(?:{ROLES})\}}`")
"""Sphinx (:class:`Name`) or MyST ({class}`Name`) cross-references, which Markdown shows as
written."""
SHOWN_ROLE = re.compile(rf":(?:py:)?(?:{ROLES}):[`~\w]")
"""The same, as they read on a built page (:class:Name: once Markdown made code of the name)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built as `mkdocs build --strict` builds it."""
    site = tmp_path_factory.mktemp("docs") / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    return site


def text_of(markup: str) -> str:
    """What a reader sees of some HTML: its text."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def markdown_pages() -> Iterator[Path]:
    """The docs' pages and the READMEs, as GitHub shows them."""
    yield from sorted(DOCS.rglob("*.md"))
    for pattern in ("README.md", "*/README.md", "*/*/README.md"):
        yield from sorted(ROOT.glob(pattern))


def test_the_site_builds_with_every_hook_and_type(site: Path) -> None:
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
    tutorial = text_of((site / "plugins" / "tutorial" / "index.html").read_text())
    for files in MIRRORED.values():
        for file in files:
            for line in file.read_text().splitlines():  # the example's code, whole
                assert line.strip() in tutorial


def test_a_page_holds_its_code_itself_the_same_as_the_example_it_shows() -> None:
    for markdown_page in DOCS.rglob("*.md"):
        # A snippet include is filled in by the site's build: GitHub would show the marker.
        assert "--8<--" not in markdown_page.read_text(), f"{markdown_page} includes a file"
    for page, files in MIRRORED.items():
        markdown = (DOCS / page).read_text()
        for file in files:
            assert f"```python\n{file.read_text()}```\n" in markdown, (
                f"docs/{page} does not show {file.relative_to(ROOT)} as it is: copy it in"
            )


def test_no_page_shows_cross_reference_markup(site: Path) -> None:
    for page in markdown_pages():
        found = WRITTEN_ROLE.search(page.read_text())
        assert found is None, f"{page.relative_to(ROOT)} shows {found.group()!r} as written"
    for built in site.rglob("*.html"):
        found = SHOWN_ROLE.search(text_of(built.read_text()))
        assert found is None, f"{built.relative_to(site)} shows {found.group()!r} as written"


def test_the_testing_pages_examples_pass(site: Path, tmp_path: Path) -> None:
    page = (site / "reference" / "testing" / "index.html").read_text()
    blocks = [text_of(b) for b in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.DOTALL)]
    examples = [code for code in blocks if "def test_" in code]
    assert examples, "the testing page shows no test"
    for number, code in enumerate(examples):
        (tmp_path / f"test_example_{number}.py").write_text(code)
    env = {**os.environ, "PYTHONPATH": str(FLIGHT_HOURS / "src"), "UCCN_HOME": str(tmp_path)}
    env.pop("UCCN_DATABASE_URL", None)
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_the_console_connectors_configuration_is_what_the_bot_reads() -> None:
    from uccn_bot.console_plugin import ConsoleFactory

    page = (DOCS / "reference" / "connectors.md").read_text()
    examples = re.findall(r"```toml\n(.*?)```", page, re.DOTALL)
    assert examples, "the connectors page shows no configuration"
    values = tomllib.loads(examples[0])
    config = NetworkConfig.model_validate(values)
    rooms = config.rooms["console"]
    assert set(rooms.cities) <= {city.id for city in sample.cities()}
    assert set(rooms.fields) <= {field.slug for field in sample.fields()}
    settings = values["connectors"]["console"]
    read: list[str] = []

    class Read(dict[str, object]):
        """The settings, noting each one the connector reads."""

        def get(self, key: str, default: object = None) -> object:
            read.append(key)
            return super().get(key, default)

    class Nowhere:
        """A state that keeps nothing: the console has no position to keep."""

        def get(self, key: str) -> str | None:
            return None

        def set(self, key: str, value: str) -> None:
            pass

    connector = ConsoleFactory()(Read(settings), Nowhere())
    assert set(settings) <= set(read), "a setting shown is one the console does not read"
    assert connector.room in {*rooms.cities.values(), *rooms.fields.values(), rooms.secretariat}
    assert config.is_secretariat("console", connector.user)
