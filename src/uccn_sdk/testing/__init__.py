"""Fixtures for testing uccn plugins; pytest loads them through the ``pytest11`` entry point.

A plugin's tests use them with nothing to import::

    from my_plugin import SameRegion  # the scorer the plugin ships

    def test_my_scorer_changes_the_suggestions(uccn_network, uccn_plugin):
        uccn_plugin(SameRegion())
        result = uccn_network.matching.match("city", "lyon", k=3)
        assert "same region" in result.matches[0].explanation()

- ``uccn_network``: a :class:`TestNetwork`: five member cities in three fields, a focal point
  for each, a Secretariat and a room per city, on a fresh SQLite store in the test's
  temporary folder, with the installed plugins loaded as ``uccn`` loads them.
- ``uccn_plugin``: register a plugin object (a module, a class instance) for this test only.
- ``uccn_bot``: a :class:`TestBot`: the bot over ``uccn_network``, whose connector records
  what it would send instead of sending it (needs the ``uccn-bot`` distribution).

The module imports nothing heavy until a fixture is used, so it costs nothing in a test
run that does not use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from uccn_sdk.testing.network import (
        PLATFORM,
        SECRETARIAT,
        RecordingConnector,
        TestBot,
        TestNetwork,
    )

__all__ = ["PLATFORM", "SECRETARIAT", "RecordingConnector", "TestBot", "TestNetwork"]


def __getattr__(name: str) -> Any:
    # The classes load with the SDK's models, on first use rather than at pytest's start.
    if name in __all__:
        from uccn_sdk.testing import network

        return getattr(network, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@pytest.fixture
def uccn_network(tmp_path: Path) -> Iterator[TestNetwork]:
    """A small network on a fresh store, with the installed plugins (see the module)."""
    from uccn_sdk.testing.network import TestNetwork

    network = TestNetwork.create(tmp_path)
    yield network
    network.close()


@pytest.fixture
def uccn_plugin(uccn_network: TestNetwork) -> Iterator[Callable[..., None]]:
    """Register a plugin for this test: ``uccn_plugin(plugin, name=None)``; gone after it.

    A plugin that is installed (``pip install -e .``) is loaded already, and stays.
    """
    names: list[str] = []

    def register(plugin: object, name: str | None = None) -> None:
        added = uccn_network.register(plugin, name)
        if added is not None:
            names.append(added)

    yield register
    for name in reversed(names):
        uccn_network.unregister(name)


@pytest.fixture
def uccn_bot(uccn_network: TestNetwork) -> TestBot:
    """The bot over ``uccn_network``: the core's runtime, recording what it would send."""
    from uccn_sdk.testing.network import TestBot

    return TestBot(uccn_network)
