"""`uccn match`, `uccn projects` and `uccn cities optout` on the shipped directory."""

from __future__ import annotations

from typing import Any


def table_ids(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("─"))
    return [line.split()[1] for line in lines[start + 1 :] if line.strip()][:100]


def test_match_a_city_shows_k_explained_peers(uccn: Any) -> None:
    result = uccn("match", "parma", "--k", "3")
    assert result.code == 0, result.err
    assert "3 of 404 cities for Parma" in result.out
    assert "both Gastronomy" in result.out
    assert len(table_ids(result.out)) == 3


def test_the_reasons_in_another_language(uccn: Any) -> None:
    result = uccn("match", "parma", "--k", "3", "--language", "fr")
    assert result.code == 0, result.err
    assert "même domaine : Gastronomie" in result.out
    assert "both Gastronomy" not in result.out


def test_explain_lists_every_scorers_part(uccn: Any) -> None:
    result = uccn("match", "parma", "--k", "1", "--explain")
    assert result.code == 0, result.err
    for scorer in ("field", "hours", "language", "history"):
        assert f"   {scorer}" in result.out


def test_filters_and_json(uccn: Any) -> None:
    import json

    result = uccn("match", "parma", "--k", "5", "--other-fields", "--country", "FR", "--json")
    assert result.code == 0, result.err
    matches = json.loads(result.out)
    assert len(matches) == 5
    assert all(m["other"]["kind"] == "city" for m in matches)
    shown = uccn("match", "parma", "--k", "50", "--other-fields", "--country", "FR")
    assert "both Gastronomy" not in shown.out


def test_bad_subjects_are_refused_with_a_hint(uccn: Any) -> None:
    unknown = uccn("match", "parmaa")
    assert unknown.code == 1 and "there is no city “parmaa”; did you mean parma" in unknown.err
    assert "name one subject" in uccn("match").err
    assert "name one subject" in uccn("match", "parma", "--text", "music").err
    assert "say what you look for" in uccn("match", "--text", "   ").err
    huge = uccn("match", "--text", "x" * 1_048_576)  # 1 MB
    assert huge.code == 1 and "1,048,576 characters long; keep it under 5,000" in huge.err
    assert "at least one match (k was 0)" in uccn("match", "parma", "--k", "0").err
    assert "no project “nope”" in uccn("match", "--project", "nope").err


def test_a_huge_k_lists_every_other_city(uccn: Any) -> None:
    result = uccn("match", "parma", "--k", "1000000", "--json")
    assert result.code == 0, result.err
    import json

    assert len(json.loads(result.out)) == 404


def test_projects_then_partners_for_a_project(uccn: Any) -> None:
    created = uccn(
        "projects", "new", "food-2027", "--title", "Food heritage and climate",
        "--lead", "parma", "--partner", "alba", "--sdg", "12", "--field", "gastronomy",
        "--looking-for", "cities with food festivals",
    )  # fmt: skip
    assert created.code == 0, created.err
    listed = uccn("projects", "list")
    assert "food-2027" in listed.out and "1 project\n" in listed.out
    assert "looking for: cities with food festivals" in uccn("projects", "show", "food-2027").out
    found = uccn("match", "--project", "food-2027", "--k", "400", "--json")
    import json

    others = [m["other"]["ref"] for m in json.loads(found.out)]
    assert "alba" not in others and "parma" not in others
    again = uccn("projects", "new", "food-2027", "--title", "T", "--lead", "parma")
    assert again.code == 1 and "exists already" in again.err
    bad = uccn("projects", "new", "p2", "--title", "T", "--lead", "parma", "--sdg", "18")
    assert bad.code == 1 and "sdgs.0" in bad.err
    unknown = uccn("projects", "new", "p3", "--title", "T", "--lead", "atlantis")
    assert unknown.code == 1 and "there is no city “atlantis”" in unknown.err


def test_an_opted_out_city_is_not_suggested_until_it_comes_back(uccn: Any) -> None:
    def suggested() -> list[str]:
        import json

        result = uccn("match", "parma", "--k", "400", "--json")
        return [m["other"]["ref"] for m in json.loads(result.out)]

    assert "alba" in suggested()
    assert "left out" in uccn("cities", "optout", "alba").out
    assert "alba" not in suggested()
    assert "taken back in" in uccn("cities", "optout", "alba", "--undo").out
    assert "alba" in suggested()
    assert "no city “atlantis”" in uccn("cities", "optout", "atlantis").err


def test_a_round_says_which_groups_no_room_introduces(configured: Any) -> None:
    made = configured("rounds", "new", "lit-1", "--field", "literature", "--field", "music")
    assert made.code == 0, made.err
    assert "a running bot introduces " in made.out and " groups." in made.out
    assert "No room reaches " in made.err and "which are not introduced" in made.err
    assert "rooms.<platform>.introductions" in made.err
    assert "posts the introductions" not in made.out
