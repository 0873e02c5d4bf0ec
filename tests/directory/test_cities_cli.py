"""`uccn cities list` and `show` as a reader reads them: names in order, every imported fact."""

from __future__ import annotations

import re
from pathlib import Path

DESCRIPTION = (
    "Lyon has made light its medium since the Festival of Lights of 1852; its book fair, "
    "its print workshops and the Villa Gillet bring writers and readers from the whole "
    "network together every spring, and its libraries lend in forty languages."
)


def listed_names(uccn, *filters: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The name column of `uccn cities list`, top to bottom."""
    result = uccn("cities", "list", *filters)
    assert result.code == 0, result.err
    rows = [re.split(r"\s{2,}", line) for line in result.out.splitlines()[3:] if line]
    return [row[1] for row in rows]


def test_accented_names_are_listed_among_their_letter_not_after_z(uccn) -> None:  # type: ignore[no-untyped-def]
    names = listed_names(uccn)
    assert names[-1] == "Zaragoza"
    for before, name, after in [
        ("Okayama City", "Östersund", "Ouagadougou"),
        ("Llíria", "Łódź", "London"),
        ("Sanandaj", "Şanlıurfa", "Santa Fe"),
        ("Santos", "São Paulo", "Sapporo"),
        ("Leiria", "Liège", "Lillehammer"),
    ]:
        at = names.index(name)
        assert names[at - 1 : at + 2] == [before, name, after]
    assert names.index("Óbidos") < names.index("Odessa")


def test_a_name_starting_with_an_accent_sorts_with_its_letter(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "accents.csv"
    source.write_text(
        "id,name,country,field,year\n"
        "evora,Évora,PT,crafts-folk-art,2025\n"
        "eindhoven,Eindhoven,NL,design,2025\n"
        "zwolle,Zwolle,NL,design,2025\n"
        "evreux,evreux,FR,design,2025\n",
        encoding="utf-8",
    )
    assert "4 added" in uccn("cities", "import", str(source)).out
    names = listed_names(uccn, "--year", "2025", "--country", "PT", "--country", "NL")
    assert names.index("Eindhoven") < names.index("Évora") < names.index("Zwolle")
    assert names[-1] == "Zwolle"
    mixed = listed_names(uccn, "--country", "FR", "--country", "PT", "--year", "2025")
    assert mixed.index("Évora") < mixed.index("evreux")


def test_one_city_is_counted_as_one_city(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("cities", "list", "--country", "IS")
    assert result.out.splitlines()[0] == "1 city"


def test_show_prints_an_imported_description_and_sdgs(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "lyon.csv"
    source.write_text(
        "id,name,country,field,year,sdgs,description\n"
        f'lyon,Lyon,FR,media-arts;literature,2008;2023,11;4,"{DESCRIPTION}"\n',
        encoding="utf-8",
    )
    assert "1 updated" in uccn("cities", "import", str(source)).out
    shown = uccn("cities", "show", "lyon").out
    lines = shown.splitlines()
    goals = lines.index("Sustainable Development Goals")
    assert lines[goals + 1 : goals + 3] == [
        "  4   Quality Education",
        "  11  Sustainable Cities and Communities",
    ]
    start = lines.index("Description") + 1
    text = [line for line in lines[start:] if line]
    assert " ".join(line.strip() for line in text) == DESCRIPTION
    assert len(text) > 1 and all(len(line) <= 88 for line in text)


def test_show_says_nothing_of_a_description_or_sdgs_never_imported(uccn) -> None:  # type: ignore[no-untyped-def]
    shown = uccn("cities", "show", "lyon").out
    assert "Description" not in shown and "Sustainable Development Goals" not in shown
