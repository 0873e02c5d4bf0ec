"""`uccn cities import` and `export` on what real files bring, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import threading
from pathlib import Path

import pytest

from uccn_sdk.directory.reading import read_cities
from uccn_sdk.directory.repository import CityRepository
from uccn_sdk.directory.service import import_cities, sync_sources
from uccn_sdk.formulas import guarded, unguarded
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store


@pytest.fixture
def on(uccn, database_url: str):  # type: ignore[no-untyped-def]
    """The `uccn` command on this test's database."""
    return lambda *args: uccn("--database-url", database_url, *args)


def shown(on, city: str) -> str:  # type: ignore[no-untyped-def]
    return str(on("cities", "show", city).out)


def test_a_csv_of_the_required_columns_keeps_what_the_store_knows(on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    full = tmp_path / "full.csv"
    full.write_text(
        "id,name,country,field,year,lat,lon,timezone,sdgs,description\n"
        "lyon,Lyon,FR,media-arts;literature,2008;2023,45.75,4.85,Europe/Paris,4;11,"
        "Light festival and a book fair\n",
        encoding="utf-8",
    )
    assert "1 updated" in on("cities", "import", str(full)).out
    before = json.loads(on("cities", "export", "--format", "json", "--country", "FR").out)
    lyon_before = next(c for c in before if c["id"] == "lyon")

    renamed = tmp_path / "renamed.csv"
    renamed.write_text(
        "id,name,country,field,year\nlyon,Lyon (Métropole),FR,media-arts;literature,2008;2023\n",
        encoding="utf-8",
    )
    assert "0 added, 1 updated" in on("cities", "import", str(renamed)).out
    after = json.loads(on("cities", "export", "--format", "json", "--country", "FR").out)
    lyon = next(c for c in after if c["id"] == "lyon")
    assert lyon["name"] == "Lyon (Métropole)"
    for fact in ("coordinates", "timezone", "description", "sdgs", "languages", "region"):
        assert lyon[fact] == lyon_before[fact], fact
    # Where each kept fact came from is kept too; the name now comes from the new file.
    assert lyon["provenance"]["coordinates"] == "import:full.csv"
    assert lyon["provenance"]["timezone"] == "import:full.csv"
    assert lyon["provenance"]["name"] == "import:renamed.csv"
    # The same file again changes nothing.
    assert "0 added, 0 updated, 1 unchanged" in on("cities", "import", str(renamed)).out


def test_facts_derived_from_the_country_are_derived_again_only_when_it_changed(
    on,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    # Kisumu's zone came from its coordinates: a row of the required columns keeps it...
    same = tmp_path / "same.csv"
    same.write_text("id,name,country,field,year\nkisumu,Kisumu,KE,music,2019\n", encoding="utf-8")
    on("cities", "import", str(same))
    kept = shown(on, "kisumu")
    assert "derived_from_coordinates:timezonefinder" in kept
    # ... and a row that moves the city to another country derives its region again.
    moved = tmp_path / "moved.csv"
    moved.write_text("id,name,country,field,year\nkisumu,Kisumu,UG,music,2019\n", encoding="utf-8")
    on("cities", "import", str(moved))
    again = shown(on, "kisumu")
    assert "Africa/Kampala" in again and "derived_from_country" in again


def test_the_city_csv_export_keeps_formulas_from_running_and_reads_them_back(
    on,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    names = [
        '=HYPERLINK("http://x","y")',
        "+1+2",
        "-2+3",
        "@SUM(A1)",
        "\uff1dcmd",  # full-width equals
        "\u200b=1+1",  # a zero-width space before it
        "\uff0b1",  # full-width plus
    ]
    rows = "".join(
        f'x{n},"{name.replace(chr(34), chr(34) * 2)}",FR,music,2020\n'
        for n, name in enumerate(names)
    )
    source = tmp_path / "formulas.csv"
    source.write_text("id,name,country,field,year\n" + rows, encoding="utf-8")
    assert "7 added" in on("cities", "import", str(source)).out
    exported = on("cities", "export", "--field", "music", "--country", "FR").out
    cells = {row["id"]: row for row in csv.DictReader(io.StringIO(exported))}
    for n, name in enumerate(names):
        assert cells[f"x{n}"]["name"] == "'" + name, name
    assert cells["toulouse"]["lat"].startswith("43.")  # numbers stay numbers
    target = tmp_path / "back.csv"
    target.write_text(exported, encoding="utf-8")
    assert "0 updated" in on("cities", "import", str(target)).out  # read back unchanged
    stored = json.loads(on("cities", "export", "--format", "json", "--country", "FR").out)
    assert sorted(c["name"] for c in stored if c["id"].startswith("x")) == sorted(names)


@pytest.mark.parametrize(
    "text", ["=1", "-x", "-1", "12.5e3", "'", "''=1", "\t=1", "plain", "", "\ufe62", "a=b"]
)
def test_a_guarded_cell_reads_back_as_it_was(text: str) -> None:
    assert unguarded(guarded(text)) == text


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        (
            "nul.csv",
            "id,name,country,field,year\nlyon,Ly\x00on,FR,literature,2023\n",
            "line 2, column 'name': holds a NUL character",
        ),
        (
            "nul.json",
            '[{"id": "lyon", "name": "Lyon", "country": "FR",\n'
            ' "designations": [{"field": "literature", "year": 2023, "source": "a\\u0000b"}]}]',
            "line 1, column 'designations.0.source': holds a NUL character",
        ),
        (
            "half.json",
            '[\n{"id": "kisumu", "name": "K\\ud800", "country": "KE",'
            ' "designations": [{"field": "music", "year": 2019}]}]',
            "line 2, column 'name': holds U+D800, half of a UTF-16 pair",
        ),
    ],
)
def test_text_no_database_can_store_is_reported_by_line_and_column(
    on,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    name: str,
    content: str,
    where: str,
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    result = on("cities", "import", str(path))
    assert result.code == 1
    assert where in result.err
    assert "nothing was imported" in result.err
    assert "Traceback" not in result.err + result.out
    assert "Lyon" in on("cities", "show", "lyon").out


def test_two_imports_at_once_count_right_and_agree(
    database_url: str, plugins: Plugins, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(database_url)
    sync_sources(store, plugins.city_sources())
    fields = plugins.fields().as_dict()
    files = []
    for n in range(2):
        path = tmp_path / f"import-{n}.csv"
        path.write_text(
            "id,name,country,field,year\n"
            + "".join(f"zz-{i},New {i} from {n},FR,music,2025\n" for i in range(20)),
            encoding="utf-8",
        )
        files.append(read_cities(path, fields)[0])
    # Both imports read the store before either writes, unless one waits for the other.
    both_read = threading.Barrier(2)
    snapshot = CityRepository.snapshot

    def read_then_wait(self: CityRepository) -> dict[str, tuple[str, dict[str, object]]]:
        taken = snapshot(self)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other import waits
            both_read.wait(timeout=2)
        return taken

    monkeypatch.setattr(CityRepository, "snapshot", read_then_wait)
    reports, failures = [], []

    def run(cities: list) -> None:  # type: ignore[type-arg]
        try:
            reports.append(import_cities(store, cities))
        except Exception as error:  # the test reports what went wrong
            failures.append(error)

    threads = [threading.Thread(target=run, args=(cities,)) for cities in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    store.close()
    assert failures == []
    assert sorted(len(r.added) for r in reports) == [0, 20]
    assert sorted(len(r.updated) for r in reports) == [0, 20]
    with Store.open(database_url).begin() as tx:
        names = {c.name.rsplit(" ", 1)[-1] for c in tx.cities.find() if c.id.startswith("zz-")}
    assert len(names) == 1  # every city from the file written last


def test_import_help_names_every_column_it_reads(uccn) -> None:  # type: ignore[no-untyped-def]
    from uccn_sdk.directory.columns import COLUMNS

    shown = uccn("cities", "import", "--help").out
    assert [column for column in COLUMNS if column not in shown.replace(",", " ").split()] == []


def test_optout_says_what_it_did(uccn) -> None:  # type: ignore[no-untyped-def]
    said = [
        uccn("cities", "optout", "dakar", *undo).out for undo in ([], [], ["--undo"], ["--undo"])
    ]
    assert "dakar is now left out of peer suggestions and matching rounds" in said[0]
    assert "`uccn cities optout dakar --undo` takes it back in" in said[0]
    assert "dakar was already left out of suggestions and rounds; nothing changed" in said[1]
    assert "dakar is taken back in" in said[2]
    assert "dakar was not left out of suggestions and rounds; nothing changed" in said[3]


def test_a_project_names_each_partner_once_and_lists_by_city_in_any_case(uccn) -> None:  # type: ignore[no-untyped-def]
    twice = uccn(
        "projects", "new", "twice", "--title", "T", "--lead", "lyon",
        "--partner", "dakar", "--partner", "Dakar",
    )  # fmt: skip
    assert twice.code == 1 and "a partner is listed twice: 'dakar'" in twice.err
    uccn("projects", "new", "once", "--title", "Once", "--lead", "lyon", "--partner", "dakar")
    assert "once" in uccn("projects", "list", "--city", "Dakar").out
    assert "once" in uccn("projects", "list", "--city", "LYON").out


def test_every_problem_of_a_row_is_listed(on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (city,) = [
        c for c in json.loads(on("cities", "export", "--format", "json").out) if c["id"] == "lyon"
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{**city, "name": "", "country": "XX", "timezone": "Mars/Olympus"}]))
    result = on("cities", "import", str(path))
    assert result.code == 1
    assert "line 1, column 'name': the value is empty; " in result.err  # not a validator's words
    assert "country: 'XX' is not an ISO 3166-1 alpha-2 country code" in result.err
    assert "timezone: 'Mars/Olympus' is not an IANA time zone" in result.err
    assert "more problems" not in result.err
