"""Matching rounds: everyone paired once, odd counts, opt-outs, repeats, introductions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

import numpy as np
import pytest

from tests.matching.conftest import CITIES, city
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.matching import pairing
from uccn_sdk.matching.engine import MatchError
from uccn_sdk.matching.network import Network
from uccn_sdk.matching.rounds import Rounds
from uccn_sdk.matching.service import Matching
from uccn_sdk.models import Audience, FocalPoint
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store

EVERYONE = Audience(everyone=True)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def desk(store: Store, plugins: Plugins) -> Any:
    with store.begin() as tx:
        tx.cities.put_many(city(row) for row in CITIES)
        tx.focal_points.put(
            FocalPoint(id="parma-1", city="parma", name="Ada", handles={"matrix": "@ada:hs"})
        )
    config = NetworkConfig(
        rooms={
            "matrix": RoomMap(fields={"gastronomy": "!food:hs"}, introductions="!intro:hs"),
        }
    )
    clock = Clock()
    rounds = Rounds(Matching(store, plugins, config), clock)
    return rounds, clock


def pairs_of(found: Any) -> set[frozenset[str]]:
    return {frozenset(p) for g in found.groups for p in combinations(g.cities, 2)}


def test_everyone_is_paired_once_and_the_introductions_are_queued(desk: Any) -> None:
    rounds, _clock = desk
    found = rounds.create("r1", EVERYONE)
    cities = [c for g in found.groups for c in g.cities]
    assert sorted(cities) == sorted(row[0] for row in CITIES)
    assert len(found.groups) == 5 and all(len(g.cities) == 2 for g in found.groups)
    assert found.bound is not None and found.total <= found.bound + 1e-9
    assert all(g.explanation for g in found.groups)
    with rounds.store.begin() as tx:
        posts = tx.outbox.pending("matrix")
    assert len(posts) == 5  # one introduction per pair on the one platform
    rooms = {p.room for p in posts}
    assert rooms <= {"!food:hs", "!intro:hs"}
    parma = next(p for p in posts if "Parma" in p.message.text)  # type: ignore[union-attr]
    assert parma.message.mentions == ("@ada:hs",)  # type: ignore[union-attr]
    group = found.group_of("parma")
    assert group is not None and set(group.cities) <= {"parma", "alba", "bergamo", "jeonju"}
    assert parma.room == "!food:hs"  # two Cities of Gastronomy meet in their room
    assert {p.room for p in posts if "Lyon" in p.message.text} == {"!intro:hs"}  # type: ignore[union-attr]
    assert rounds.get("r1") == found


def test_the_same_id_twice_is_refused_and_nothing_is_doubled(desk: Any) -> None:
    rounds, _clock = desk
    rounds.create("r1", EVERYONE)
    with pytest.raises(MatchError, match="exists already"):
        rounds.create("r1", EVERYONE)
    with rounds.store.begin() as tx:
        assert len(tx.outbox.pending("matrix")) == 5
        assert tx.matches.count() == 5


def test_an_odd_count_makes_one_group_of_three_and_opted_out_cities_are_left_out(
    desk: Any,
) -> None:
    rounds, _clock = desk
    rounds.matching.set_opt_out("quito", True)
    found = rounds.plan("r1", EVERYONE)
    sizes = sorted(len(g.cities) for g in found.groups)
    assert sizes == [2, 2, 2, 3]
    assert found.left_out == ["quito"]
    assert "quito" not in [c for g in found.groups for c in g.cities]


def test_cross_field_pairs_two_fields(desk: Any) -> None:
    rounds, _clock = desk
    found = rounds.plan("r1", EVERYONE, cross_field=True)
    field = {row[0]: row[2] for row in CITIES}
    for group in found.groups:
        assert len({field[c] for c in group.cities}) == len(group.cities)


def test_the_next_round_avoids_the_pairs_of_the_last(desk: Any) -> None:
    rounds, _clock = desk
    first = rounds.create("r1", EVERYONE)
    second = rounds.create("r2", EVERYONE)
    assert not pairs_of(first) & pairs_of(second)
    assert not any(g.repeat for g in second.groups)


def test_a_round_needs_two_cities(desk: Any) -> None:
    rounds, _clock = desk
    with pytest.raises(MatchError, match="at least two cities; the scope has 1"):
        rounds.plan("r1", Audience(cities=["parma"]))


def test_the_follow_up_is_asked_once_in_the_introductions_thread(desk: Any) -> None:
    rounds, clock = desk
    rounds.create("r1", EVERYONE)
    with rounds.store.begin() as tx:
        for row in tx.outbox.pending("matrix"):
            tx.outbox.mark_sent(row.id, f"$intro-{row.id}")
    assert rounds.follow_up() == 0  # not due yet
    clock.now += timedelta(days=14, minutes=1)
    assert rounds.follow_up() == 5
    assert rounds.follow_up() == 0
    with rounds.store.begin() as tx:
        asked = [r for r in tx.outbox.pending("matrix") if r.kind == "follow-up"]
    assert len(asked) == 5
    assert all(r.message.thread_root.startswith("$intro-") for r in asked)  # type: ignore[union-attr]
    assert "Reply “yes” or “no” in this thread" in asked[0].message.text  # type: ignore[union-attr]


def test_who_met_is_recorded_and_feeds_the_history(desk: Any) -> None:
    rounds, _clock = desk
    found = rounds.create("r1", EVERYONE)
    group = found.group_of("parma")
    assert group is not None
    other = next(c for c in group.cities if c != "parma")
    assert rounds.record_meeting("r1", "parma", True).met is True
    assert rounds.get("r1").group_of(other).met is True  # type: ignore[union-attr]
    network = Network.load(rounds.store)
    assert frozenset({"parma", other}) in network.met
    result = rounds.matching.match("city", "parma", k=9)
    history = next(p for m in result.matches if m.other.ref == other for p in m.parts
                   if p.scorer == "history")  # fmt: skip
    assert history.score == 0
    with pytest.raises(MatchError, match="not in round"):
        rounds.record_meeting("r1", "atlantis", True)
    with pytest.raises(MatchError, match="no round “r9”"):
        rounds.record_meeting("r9", "parma", True)


def test_local_search_comes_within_two_percent_of_the_exact_pairing() -> None:
    networkx = pytest.importorskip("networkx")
    rng = np.random.default_rng(7)
    for n in (12, 31, 60):
        x = rng.random((n, n))
        w = (x + x.T) / 2
        found = pairing.pair_full(w)
        graph = networkx.Graph()
        graph.add_weighted_edges_from((i, j, w[i, j]) for i in range(n) for j in range(i + 1, n))
        exact = sum(w[a, b] for a, b in networkx.max_weight_matching(graph, maxcardinality=True))
        assert found.total >= 0.98 * exact
        assert found.bound is not None and exact <= found.bound + 1e-6
        assert sorted(c for g in found.groups for c in g) == list(range(n))


def test_the_candidate_method_pairs_everyone_too() -> None:
    rng = np.random.default_rng(3)
    n = 301
    x = rng.random((n, n))
    w = (x + x.T) / 2
    np.fill_diagonal(w, -np.inf)
    top = np.argsort(-w, axis=1)[:, :10]
    found = pairing.pair_candidates(
        top, np.take_along_axis(w, top, axis=1), lambda r, c: w[np.ix_(r, c)]
    )
    assert sorted(c for g in found.groups for c in g) == list(range(n))
    assert found.total >= 0.95 * pairing.pair_full(w).total


def test_equal_scores_still_pair_everyone() -> None:
    for n in (6, 7, 40):
        found = pairing.pair_full(np.full((n, n), 0.5))
        assert sorted(c for g in found.groups for c in g) == list(range(n))
        assert len(found.pairs) == n // 2 and not found.unpaired


def test_a_group_without_a_shared_room_is_introduced_in_each_citys_room_never_the_secretariats(
    store: Store, plugins: Plugins
) -> None:
    with store.begin() as tx:
        tx.cities.put_many(city(row) for row in CITIES)
    rooms = RoomMap(cities={"parma": "!parma", "lyon": "!lyon"}, secretariat="!sec")
    rounds = Rounds(Matching(store, plugins, NetworkConfig(rooms={"matrix": rooms})), Clock())
    found = rounds.create("r1", EVERYONE)
    with store.begin() as tx:
        posts = tx.outbox.pending("matrix")
    assert "!sec" not in {p.room for p in posts}  # the pair's focal points are not there
    parma = found.group_of("parma")
    assert parma is not None
    (post,) = [p for p in posts if p.room == "!parma"]
    assert "Parma" in post.message.text  # type: ignore[union-attr]
    introduced = {c for p in posts for c in ("parma", "lyon") if p.room == f"!{c}"}
    assert introduced == {"parma", "lyon"}
    silent = rounds.unintroduced(found)
    assert silent and all(not {"parma", "lyon"} & set(g.cities) for g in silent)
    assert len(silent) + len({id(found.group_of(c)) for c in introduced}) == len(found.groups)
