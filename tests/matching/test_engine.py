"""The engine: what a focal point sees when asking for peers, and what it refuses."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.matching.conftest import network_of
from uccn_sdk.config import MatchingSettings
from uccn_sdk.matching.engine import Matcher, MatchError, MatchFilters
from uccn_sdk.matching.profile import of_project, of_text
from uccn_sdk.models import City, Project


def ids(result: Any) -> list[str]:
    return [m.other.ref for m in result.matches]


def test_a_gastronomy_city_gets_gastronomy_peers_first_with_reasons(matcher: Matcher) -> None:
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    result = matcher.match(parma, k=3)
    assert set(ids(result)) == {"alba", "bergamo", "jeonju"}
    best = result.matches[0]
    why = best.explanation()
    assert "both Gastronomy" in why
    assert "descriptions both about" in why and "food" in why
    assert [m.score for m in result.matches] == sorted(
        (m.score for m in result.matches), reverse=True
    )
    assert {p.scorer for p in best.parts} >= {"field", "themes", "sdgs", "hours", "language"}


def test_explanations_name_shared_goals_hours_and_language(matcher: Matcher) -> None:
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    alba = next(m for m in matcher.match(parma, k=9).matches if m.other.ref == "alba")
    said = {p.scorer: p.explanation for p in alba.parts}
    assert said["sdgs"] == "shared SDG 12"
    assert said["hours"] == "the same working hours"
    assert said["language"] == "both work in Italian"
    others = {m.other.ref: m for m in matcher.match(parma, k=9).matches}
    hours = {c: next(p for p in m.parts if p.scorer == "hours") for c, m in others.items()}
    assert hours["dakar"].explanation == "7 hours of shared working day"  # UTC+1 and UTC
    assert hours["jeonju"].score == 0 and hours["jeonju"].explanation == ""  # 8 hours apart


def test_a_city_is_never_its_own_peer_and_opted_out_cities_never_appear(
    cities: list[City], scorers: list[Any]
) -> None:
    matcher = Matcher(network_of(cities, opted_out=frozenset({"alba"})), scorers)
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    result = matcher.match(parma, k=100)
    assert "parma" not in ids(result) and "alba" not in ids(result)
    assert result.candidates == len(cities) - 2


def test_filters(matcher: Matcher) -> None:
    network = matcher.network
    parma = network.profiles[network.rows["parma"]]
    other_fields = ids(matcher.match(parma, 100, MatchFilters(other_fields=True)))
    assert other_fields and not {"alba", "bergamo", "jeonju"} & set(other_fields)
    other_regions = ids(matcher.match(parma, 100, MatchFilters(other_regions=True)))
    assert {network.profiles[network.rows[c]].region for c in other_regions} == {
        "asia-pacific",
        "africa",
        "latin-america-caribbean",
    }
    lyon = network.profiles[network.rows["lyon"]]
    french = ids(matcher.match(lyon, 100, MatchFilters(common_language=True)))
    assert set(french) == {"port-louis", "dakar", "montreal"}
    assert ids(matcher.match(parma, 100, MatchFilters(countries=["KR", "CO"]))) in (
        ["jeonju", "bogota"],
        ["bogota", "jeonju"],
    )
    assert set(ids(matcher.match(parma, 100, MatchFilters(fields=["music"])))) == {
        "port-louis",
        "bogota",
    }


def test_free_text_is_compared_by_its_words_alone(matcher: Matcher) -> None:
    result = matcher.match(of_text("partners for a music festival with young musicians"), k=2)
    assert set(ids(result)) == {"port-louis", "bogota"}
    assert [p.scorer for p in result.matches[0].parts] == ["themes"]
    assert "music" in result.matches[0].explanation()


def test_a_project_leaves_out_its_own_partners(cities: list[City], scorers: list[Any]) -> None:
    project = Project(
        id="food-2027",
        title="Food heritage and climate",
        lead_city="parma",
        partners=["alba"],
        sdgs=[12, 13],
        looking_for="a food festival and climate-friendly farming",
    )
    matcher = Matcher(network_of(cities, [project]), scorers)
    parma = next(c for c in cities if c.id == "parma")
    result = matcher.match(of_project(project, parma), k=3)
    assert "alba" not in ids(result) and "parma" not in ids(result)
    assert ids(result)[0] == "jeonju"  # food festival, climate, SDG 12 and 13
    assert "shared SDG 12 and 13" in result.matches[0].explanation()


def test_pairs_introduced_before_score_lower(cities: list[City], scorers: list[Any]) -> None:
    before = Matcher(network_of(cities), scorers)
    after = Matcher(network_of(cities, paired={frozenset({"parma", "alba"}): 1}), scorers)

    def alba_score(matcher: Matcher) -> float:
        parma = matcher.network.profiles[matcher.network.rows["parma"]]
        return next(m.score for m in matcher.match(parma, 9).matches if m.other.ref == "alba")

    assert alba_score(after) < alba_score(before)
    parma = after.network.profiles[after.network.rows["parma"]]
    alba = next(m for m in after.match(parma, 9).matches if m.other.ref == "alba")
    assert "introduced" not in alba.explanation(limit=99)  # a penalty is not a reason to meet


def test_k_is_checked_and_a_huge_k_gives_every_candidate(matcher: Matcher) -> None:
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    for k in (0, -3):
        with pytest.raises(MatchError, match="at least one"):
            matcher.match(parma, k)
    assert len(matcher.match(parma, 10**9).matches) == len(matcher.network) - 1


class Raising:
    name = "raising"
    weight = 1.0

    def index(self, network: Any) -> Any:
        return self

    def applies(self, subject: Any) -> bool:
        return True

    def score(self, subjects: Any) -> Any:
        raise RuntimeError("the model file is missing")

    def explain(self, subject: Any, candidate: int, score: float) -> str:
        return ""


class NotANumber(Raising):
    name = "nan"

    def score(self, subjects: Any) -> Any:
        return np.full((len(subjects), 10), np.nan)


class BrokenIndex(Raising):
    name = "broken-index"

    def index(self, network: Any) -> Any:
        raise ValueError("no data")


def test_a_broken_scorer_is_named_and_left_out_while_the_rest_answer(
    cities: list[City], scorers: list[Any]
) -> None:
    matcher = Matcher(network_of(cities), [*scorers, Raising(), NotANumber(), BrokenIndex()])
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    result = matcher.match(parma, k=3)
    assert set(ids(result)) == {"alba", "bergamo", "jeonju"}
    said = "\n".join(map(str, result.problems))
    assert "'raising' was left out: RuntimeError: the model file is missing" in said
    assert "'nan' was left out: returned scores that are not numbers (NaN)" in said
    assert "'broken-index' was left out: indexing failed: ValueError: no data" in said
    assert all(p.scorer not in {"raising", "nan"} for p in result.matches[0].parts)


def test_weights_come_from_the_configuration(cities: list[City], scorers: list[Any]) -> None:
    only_hours = MatchingSettings(weights={s.name: 0.0 for s in scorers if s.name != "hours"})
    matcher = Matcher(network_of(cities, settings=only_hours), scorers)
    assert matcher.scorers == ["hours"]
    lyon = matcher.network.profiles[matcher.network.rows["lyon"]]
    assert ids(matcher.match(lyon, k=1)) in (["parma"], ["alba"], ["bergamo"], ["dakar"])


def test_all_weights_zero_is_refused_with_what_to_do(
    cities: list[City], scorers: list[Any]
) -> None:
    zero = MatchingSettings(weights={s.name: 0.0 for s in scorers})
    with pytest.raises(MatchError, match=r"no scorer has a weight above zero.*matching\.weights"):
        Matcher(network_of(cities, settings=zero), scorers)


def test_a_weight_for_a_scorer_not_installed_is_refused(
    cities: list[City], scorers: list[Any]
) -> None:
    with pytest.raises(MatchError, match="not installed: themse"):
        Matcher(network_of(cities, settings=MatchingSettings(weights={"themse": 1.0})), scorers)


def test_negative_or_infinite_weights_are_refused_by_the_configuration() -> None:
    from pydantic import ValidationError

    for weight in (-1.0, float("inf"), float("nan")):
        with pytest.raises(ValidationError, match="must be a number 0 or more"):
            MatchingSettings(weights={"field": weight})


def test_explanations_name_a_fields_words_not_words_every_field_uses(
    cities: list[City], scorers: list[Any]
) -> None:
    """'especially', six times in every text, weighs more than 'food' and says nothing."""
    often = " Especially" * 6
    generic = [c.model_copy(update={"description": c.description + often}) for c in cities]
    matcher = Matcher(network_of(generic), scorers)
    parma = matcher.network.profiles[matcher.network.rows["parma"]]
    alba = next(m for m in matcher.match(parma, k=3).matches if m.other.ref == "alba")
    themes = next(p.explanation for p in alba.parts if p.scorer == "themes")
    assert themes.startswith("descriptions both about") and "food" in themes
    assert "especially" not in themes
