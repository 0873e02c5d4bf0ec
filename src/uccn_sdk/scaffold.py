"""`uccn plugin new`: a ready plugin distribution, tested with the SDK's fixtures.

The distribution has a pyproject with the ``uccn`` entry point, one hook implementation
(a match scorer, or a chat command), a test that passes as written, and a README saying
how to install, test and see it. Its code is typed with the SDK's types: ``mypy --strict``
passes on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Literal

from uccn_sdk.errors import UccnError

Kind = Literal["scorer", "command"]
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")

PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.24"]
build-backend = "hatchling.build"

[project]
name = "$distribution"
version = "0.1.0"
description = "$summary"
readme = "README.md"
requires-python = ">=3.11"
dependencies = [$dependencies]

[project.optional-dependencies]
test = ["pytest>=8"]

# uccn finds the plugin through this entry point.
[project.entry-points.uccn]
$name = "$module"

[tool.hatch.build.targets.wheel]
packages = ["src/$module"]
"""

SCORER = '''\
"""$summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from uccn_sdk import MatchScorer, Network, Profile, ScorerIndex


class SameRegion:
    """Scores 1 for two cities in the same UNESCO region, 0 otherwise."""

    name = "$name"
    weight = 1.0

    def index(self, network: Network) -> ScorerIndex:
        regions = np.array([city.region or "" for city in network.cities])
        return _Index(network, regions)


class _Index:
    def __init__(self, network: Network, regions: NDArray[np.str_]) -> None:
        self.network = network
        self.regions = regions

    def applies(self, subject: Profile) -> bool:
        # A free-text subject has no region: this scorer has nothing to say about it.
        return subject.region is not None

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.floating[Any]]:
        """One row per subject, one column per city of the network, every value 0 or 1."""
        wanted = np.array([s.region or "" for s in subjects])
        same: NDArray[np.bool_] = wanted[:, None] == self.regions[None, :]
        same &= self.regions != ""  # a city whose region is unknown is in no region
        return same.astype(np.float64)

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        region = self.network.cities[candidate].region
        if not score or region is None:
            return ""
        return f"both in {region.label}"


def uccn_register_match_scorers(register: Callable[[MatchScorer], None]) -> None:
    register(SameRegion())
'''

SCORER_TEST = '''\
"""The scorer changes the suggestions, and says why. The fixtures come with uccn-sdk."""

from collections.abc import Callable

from uccn_sdk import TestNetwork

import $module


def test_a_city_in_the_same_region_is_suggested_with_the_reason(
    uccn_network: TestNetwork, uccn_plugin: Callable[..., None]
) -> None:
    uccn_plugin($module, "$name")
    result = uccn_network.matching.match("city", "lyon", k=4)
    bologna = next(m for m in result.matches if m.other.ref == "bologna")
    assert "both in Europe and North America" in bologna.explanation()
    assert result.problems == []


def test_a_text_gets_no_score_from_it(
    uccn_network: TestNetwork, uccn_plugin: Callable[..., None]
) -> None:
    uccn_plugin($module, "$name")
    result = uccn_network.matching.match("text", "a festival on food heritage", k=3)
    assert all("both in" not in m.explanation() for m in result.matches)
'''

COMMAND = '''\
"""$summary."""

from __future__ import annotations

from collections.abc import Callable

from uccn_sdk import Arguments, ChatCommand, CommandContext, command, word


@command("$name", "Say hello", word("name", optional=True, default="there"))
async def hello(context: CommandContext, arguments: Arguments) -> str:
    """Answers `$name [NAME]` in the language of whoever asked."""
    if context.language == "fr":
        return f"Bonjour {arguments['name']} !"
    return f"Hello {arguments['name']}!"


def uccn_register_commands(register: Callable[[ChatCommand], None]) -> None:
    register(hello)
'''

COMMAND_TEST = '''\
"""The command answers in chat. The fixtures come with uccn-sdk (the bot with uccn-bot)."""

from collections.abc import Callable

from uccn_sdk import TestBot

import $module


def test_the_command_answers_in_the_readers_language(
    uccn_bot: TestBot, uccn_plugin: Callable[..., None]
) -> None:
    uccn_plugin($module, "$name")
    assert uccn_bot.say("@bologna", "!uccn $name Bologna") == ["Hello Bologna!"]
    assert uccn_bot.say("@lyon", "!uccn $name Lyon") == ["Bonjour Lyon !"]


def test_the_help_lists_it(uccn_bot: TestBot, uccn_plugin: Callable[..., None]) -> None:
    uccn_plugin($module, "$name")
    (help_text,) = uccn_bot.say("@bologna", "!uccn help")
    assert "$name" in help_text
'''

README = """\
# $distribution

$summary: a plugin for [uccn](https://pypi.org/project/uccn-sdk/), the UNESCO Creative
Cities Network's SDK and bot.

## Try it

    pip install -e '.[test]'
    pytest
    uccn plugins          # lists "$name", from $distribution
$see

## What is where

- `pyproject.toml`: the `uccn` entry point that makes uccn load the plugin.
- `src/$module/__init__.py`: the hook implementation ($hook).
- `tests/test_plugin.py`: tests using the fixtures uccn-sdk gives pytest
  (`uccn_network`, `uccn_plugin`$bot_fixture).

`uccn plugins --check` tries every installed plugin; `UCCN_TRACE_PLUGINS=1 uccn ...` logs
each hook call with its plugin and duration.
"""


@dataclass(frozen=True)
class _Kind:
    hook: str
    summary: str
    code: str
    test: str
    see: str
    dependencies: tuple[str, ...]


KINDS: dict[str, _Kind] = {
    "scorer": _Kind(
        hook="uccn_register_match_scorers",
        summary="A match scorer: cities in the same UNESCO region fit each other",
        code=SCORER,
        test=SCORER_TEST,
        see="    uccn match lyon --explain   # suggestions now say 'both in …'",
        dependencies=("uccn-sdk", "numpy"),
    ),
    "command": _Kind(
        hook="uccn_register_commands",
        summary="A chat command that says hello",
        code=COMMAND,
        test=COMMAND_TEST,
        see="    # in chat: !uccn $name Ana   (or /uccn $name Ana in Slack)",
        dependencies=("uccn-sdk", "uccn-bot"),
    ),
}


def create(name: str, folder: Path, kind: Kind = "scorer") -> list[Path]:
    """Write the distribution for plugin `name` into `folder`; the files written."""
    name = name.strip().lower().removeprefix("uccn-")
    if not _NAME.fullmatch(name) or len(name) > 40:
        raise UccnError(
            f"{name!r} is not a plugin name: use lowercase letters, digits and hyphens, "
            "starting with a letter (such as flight-hours)"
        )
    if kind not in KINDS:
        raise UccnError(f"there is no plugin kind {kind!r}; choose {' or '.join(KINDS)}")
    if folder.exists() and any(folder.iterdir()):
        raise UccnError(f"{folder} exists and is not empty; choose another folder")
    spec = KINDS[kind]
    distribution = f"uccn-{name}"
    module = distribution.replace("-", "_")
    values = {
        "name": name,
        "distribution": distribution,
        "module": module,
        "summary": spec.summary,
        "hook": spec.hook,
        "dependencies": ", ".join(f'"{d}"' for d in spec.dependencies),
        "bot_fixture": ", `uccn_bot`" if kind == "command" else "",
    }
    values["see"] = Template(spec.see).substitute(values)
    files = {
        "pyproject.toml": PYPROJECT,
        f"src/{module}/__init__.py": spec.code,
        "tests/test_plugin.py": spec.test,
        "README.md": README,
    }
    written = []
    for relative, template in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(template).substitute(values), encoding="utf-8")
        written.append(path)
    return written
