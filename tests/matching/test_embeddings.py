"""The optional embeddings scorer: off until weighed, offline always, and named when its model
is missing."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from uccn_match import embeddings

from tests.matching.conftest import network_of
from uccn_sdk.config import MatchingSettings
from uccn_sdk.matching.engine import Matcher
from uccn_sdk.matching.profile import of_text
from uccn_sdk.models import City

ONLY_EMBEDDINGS = {
    "embeddings": 1.0,
    **{name: 0.0 for name in ("field", "sdgs", "themes", "language", "hours", "balance")},
    **{name: 0.0 for name in ("experience", "history")},
}


@pytest.fixture
def fresh_model() -> Iterator[None]:
    """The model is loaded again inside the test, not taken from an earlier one."""
    embeddings.model.cache_clear()
    yield
    embeddings.model.cache_clear()


def test_it_is_off_until_the_configuration_gives_it_a_weight(
    cities: list[City], scorers: list[Any]
) -> None:
    matcher = Matcher(network_of(cities), scorers)
    assert "embeddings" not in matcher.scorers
    on = Matcher(
        network_of(cities, settings=MatchingSettings(weights={"embeddings": 1.0})), scorers
    )
    assert "embeddings" in on.scorers


def test_it_ranks_by_meaning_without_touching_the_network(
    cities: list[City], scorers: list[Any], fresh_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embeddings scorer tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    settings = MatchingSettings(weights=ONLY_EMBEDDINGS)
    matcher = Matcher(network_of(cities, settings=settings), scorers)
    assert matcher.scorers == ["embeddings"]
    result = matcher.match(of_text("cheese, ham and wine: our food heritage"), k=3)
    top = [m.other.ref for m in result.matches]
    assert set(top) <= {"parma", "alba", "bergamo", "jeonju"}, top
    assert result.problems == []
    assert "descriptions close in meaning" in result.matches[0].explanation()
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    peers = [m.other.ref for m in matcher.match(parma, k=2).matches]
    assert set(peers) <= {"alba", "bergamo", "jeonju"}, peers


def test_turned_on_without_its_model_it_is_named_with_the_install_command(
    cities: list[City], scorers: list[Any], fresh_model: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "wordllama.inference", None)  # as if not installed
    settings = MatchingSettings(weights={"embeddings": 1.0})
    matcher = Matcher(network_of(cities, settings=settings), scorers)
    assert "embeddings" not in matcher.scorers
    [problem] = [str(p) for p in matcher.problems]
    assert problem.startswith("scorer 'embeddings' was left out: indexing failed: ModelMissing")
    assert "pip install 'uccn-match[embeddings]'" in problem
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    assert matcher.match(parma, k=3).matches  # the other scorers still answer
