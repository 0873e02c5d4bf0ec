"""The web console's tests run on SQLite and on PostgreSQL: the network under the bot and the
console is built on each store (`database_url` from the suite's conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from uccn_sdk.testing.network import TestNetwork


@pytest.fixture
def uccn_network(tmp_path: Path, database_url: str) -> Iterator[TestNetwork]:
    network = TestNetwork.create(tmp_path, database_url)
    yield network
    network.close()
