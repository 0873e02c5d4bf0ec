"""The scorer changes what `match` suggests, and says why. The fixtures come with uccn-sdk."""

import pytest
import uccn_flight_hours


def flight(match):
    """What the flight-hours scorer said about a match ('' when nothing)."""
    return next((p.explanation for p in match.parts if p.scorer == "flight-hours"), "")


def test_the_nearest_city_by_air_is_suggested_with_the_flight_time(uccn_network, uccn_plugin):
    uccn_plugin(uccn_flight_hours, "flight-hours")
    result = uccn_network.matching.match("city", "lyon", k=4)
    bologna = next(m for m in result.matches if m.other.ref == "bologna")
    assert flight(bologna) == "about 1 hour' flight apart"
    dakar = next(m for m in result.matches if m.other.ref == "dakar")
    assert flight(dakar) == "about 5 hours' flight apart"
    assert result.problems == []


def test_a_city_beyond_the_limit_gets_nothing_from_it(uccn_network, uccn_plugin, monkeypatch):
    monkeypatch.setenv("UCCN_FLIGHT_HOURS", "2")
    uccn_plugin(uccn_flight_hours, "flight-hours")
    result = uccn_network.matching.match("city", "lyon", k=4)
    dakar = next(m for m in result.matches if m.other.ref == "dakar")
    assert flight(dakar) == ""


def test_a_free_text_has_no_place_to_fly_from(uccn_network, uccn_plugin):
    uccn_plugin(uccn_flight_hours, "flight-hours")
    result = uccn_network.matching.match("text", "a festival of light", k=3)
    assert all(flight(m) == "" for m in result.matches)


@pytest.mark.parametrize("value", ["soon", "0", "100"])
def test_a_bad_limit_is_reported_by_name_and_matching_goes_on(
    uccn_network, uccn_plugin, monkeypatch, value
):
    monkeypatch.setenv("UCCN_FLIGHT_HOURS", value)
    uccn_plugin(uccn_flight_hours, "flight-hours")
    result = uccn_network.matching.match("city", "lyon", k=3)
    assert len(result.matches) == 3  # the other scorers still answer
    assert any("UCCN_FLIGHT_HOURS" in str(p) for p in result.problems)
