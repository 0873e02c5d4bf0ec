"""Reading an import file: every bad row is found before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from uccn_sdk.directory.reading import ImportFileError, read_cities
from uccn_sdk.models import CreativeField
from uccn_sdk.plugins import Plugins

HEADER = "id,name,country,field,year,lat,lon,timezone,languages,region\n"


@pytest.fixture
def fields(plugins: Plugins) -> dict[str, CreativeField]:
    return plugins.fields().as_dict()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_a_good_csv_derives_what_it_leaves_out(
    tmp_path: Path, fields: dict[str, CreativeField]
) -> None:
    path = write(tmp_path, "new.csv", HEADER + "kisumu,Kisumu,ke,Music,2025,-0.1,34.75,,,\n")
    (read,), errors = read_cities(path, fields)
    assert errors == []
    kisumu = read.city
    assert read.given == {"id", "name", "country", "designations", "coordinates"}
    assert kisumu.field == "music"  # the English name is accepted for the slug
    assert kisumu.country == "KE"
    assert kisumu.region == "africa"
    assert kisumu.timezone == "Africa/Nairobi"
    assert kisumu.languages == ["sw", "en"]
    assert kisumu.provenance["country"] == "import:new.csv"
    assert kisumu.provenance["region"] == "derived_from_country:unesco_regions"
    assert kisumu.designations[0].source == "import:new.csv"


def test_several_designations_in_one_row(tmp_path: Path, fields: dict[str, CreativeField]) -> None:
    path = write(
        tmp_path, "lyon.csv", HEADER + "lyon,Lyon,FR,media-arts;literature,2008;2023,,,,,\n"
    )
    (read,), _ = read_cities(path, fields)
    lyon = read.city
    assert [(d.field, d.year) for d in lyon.designations] == [
        ("media-arts", 2008),
        ("literature", 2023),
    ]


def test_every_bad_row_is_reported_by_line_and_column(
    tmp_path: Path, fields: dict[str, CreativeField]
) -> None:
    rows = [
        "ok,Fine,FR,music,2020,,,,,",
        "poet,Poet,FR,poetry,2020,,,,,",
        "nowhere,Nowhere,XX,music,2020,,,,,",
        "ok,Again,FR,music,2020,,,,,",
        "north,North,NO,design,2020,95,10,,,",
        "zone,Zone,FR,design,2020,,,Mars/Olympus,,",
        "two,Two,FR,design;music,2020,,,,,",
        "short,Short,FR",
        "Bad Id,Bad,FR,music,2020,,,,,",
        '"multi\nline",Name,FR,music,1999,,,,,',
    ]
    path = write(tmp_path, "bad.csv", HEADER + "\n".join(rows) + "\n")
    cities, errors = read_cities(path, fields)
    assert [c.city.id for c in cities] == ["ok"]
    found = [(e.line, e.column) for e in errors]
    assert found == [
        (3, "field"),
        (4, "country"),
        (5, "id"),
        (6, "lat"),
        (7, "timezone"),
        (8, "year"),
        (9, None),
        (10, "id"),
        (12, "id"),
    ]
    text = [str(e) for e in errors]
    assert "unknown creative field 'poetry'; known fields: architecture" in text[0]
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in text[1]
    assert "duplicate city id 'ok', first on line 2" in text[2]
    assert "2 fields but 1 years" in text[5]
    assert "has 3 cells but the header has 10" in text[6]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (HEADER.encode(), "has a header but no cities"),
        (b"id,name,country\nx,y,FR\n", "missing field, year"),
        (b"id,name,country,field,year,mayor\n", "unknown 'mayor'"),
        (
            HEADER.encode() + "ok,Caf\u00e9,FR,music,2020,,,,,\n".encode("latin-1"),
            "line 2 has the byte 0xe9",
        ),
        (HEADER.encode() + b'x,"unclosed,FR,music,2020,,,,,\n', "not valid CSV"),
    ],
)
def test_a_malformed_csv_is_refused_whole(
    tmp_path: Path, fields: dict[str, CreativeField], content: bytes, says: str
) -> None:
    with pytest.raises(ImportFileError, match=says):
        read_cities(write(tmp_path, "cities.csv", content), fields)


def test_a_50_mb_file_is_refused_before_it_is_read(
    tmp_path: Path, fields: dict[str, CreativeField]
) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ImportFileError, match=r"huge\.csv is 50\.0 MiB, over the 32 MiB limit"):
        read_cities(path, fields)


def test_an_unknown_file_type_is_named(tmp_path: Path, fields: dict[str, CreativeField]) -> None:
    with pytest.raises(ImportFileError, match=r"reads \.csv or \.json files, not \.xlsx"):
        read_cities(write(tmp_path, "cities.xlsx", "x"), fields)


def test_json_items_keep_their_provenance_and_bad_ones_are_found_by_line(
    tmp_path: Path, fields: dict[str, CreativeField]
) -> None:
    good = {
        "id": "lyon",
        "name": "Lyon",
        "country": "FR",
        "designations": [{"field": "literature", "year": 2023, "source": "unverified"}],
        "provenance": {"country": "unverified"},
    }
    bad = {
        "id": "x",
        "name": "X",
        "country": "FR",
        "designations": [{"field": "poetry", "year": 2020}],
    }
    content = "[\n" + json.dumps(good, indent=2) + ",\n" + json.dumps(bad) + ",\n 7\n]"
    cities, errors = read_cities(write(tmp_path, "c.json", content), fields)
    assert cities[0].city.provenance["country"] == "unverified"
    assert cities[0].city.designations[0].source == "unverified"
    assert [(e.line, e.column) for e in errors] == [(17, "field"), (18, None)]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{}", "expected a JSON list"),
        ("[{]", "line 1, column 3 is not valid JSON"),
        ("[{}", "not closed"),
        ("[" + "[" * 100_000 + "]" * 100_000 + "]", "item 1 nests lists or objects too deeply"),
    ],
)
def test_malformed_json_is_refused(
    tmp_path: Path, fields: dict[str, CreativeField], content: str, says: str
) -> None:
    with pytest.raises(ImportFileError, match=says):
        read_cities(write(tmp_path, "c.json", content), fields)
