"""The `uccn` command as a user runs it: output, exit status, and an unchanged store on error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.test_plugins import install, write_distribution
from uccn_sdk.store.database import HEAD

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


def test_help_lists_the_commands(uccn) -> None:  # type: ignore[no-untyped-def]
    result: Result = uccn("--help")
    assert result.code == 0
    listed = result.out.split("Commands:")[1]
    for command in ("cities", "fields", "plugins", "calls", "announce", "db", "bot"):
        assert f"\n  {command} " in listed
    assert "Write, open, follow, close and export calls" in listed  # a group loaded for help
    assert result.err == ""


def add_on(folder: Path, monkeypatch: pytest.MonkeyPatch, group: str, source: str) -> None:
    """A distribution adding `uccn GROUP` through the `uccn.cli` entry points, as pip would."""
    write_distribution(folder, "uccn-add-on", source, f"[uccn.cli]\n{group} = uccn_add_on:app\n")
    monkeypatch.syspath_prepend(str(folder))


def test_a_broken_command_group_is_named_and_the_rest_still_works(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    add_on(tmp_path, monkeypatch, "broken", "raise ImportError('needs a missing library')\n")
    listed = uccn("cities", "list", "--field", "music")
    assert listed.code == 0 and "84 cities" in listed.out
    assert "broken" not in listed.err  # a command that does not need the add-on skips it
    help_ = uccn("--help")
    assert help_.code == 0 and "\n  calls " in help_.out and "\n  broken " not in help_.out
    assert "warning: `uccn broken` is unavailable: needs a missing library" in help_.err
    run = uccn("broken", "go")
    assert run.code != 0
    assert "`uccn broken` is unavailable: needs a missing library" in run.err


def test_an_add_on_cannot_replace_a_command_of_uccn(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    add_on(tmp_path, monkeypatch, "calls", "import typer\napp = typer.Typer(help='Not calls.')\n")
    help_ = uccn("--help")
    assert "Write, open, follow, close and export calls" in help_.out
    assert "Not calls." not in help_.out
    assert "warning: the `uccn calls` of uccn-add-on is left out" in help_.err


def test_cities_list_by_field_prints_the_cities_of_literature(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("cities", "list", "--field", "literature")
    assert result.code == 0
    assert "Loaded the 'unesco' directory: 405 cities added" in result.err
    assert "63 cities" in result.out
    assert "Edinburgh" in result.out and "Lyon" in result.out
    assert "Bologna" not in result.out  # a City of Music
    again = uccn("cities", "list", "--field", "Littérature", "--country", "fr", "--format", "json")
    assert {c["id"] for c in json.loads(again.out)} == {"angouleme", "lyon"}
    assert "Loaded" not in again.err  # the directory is loaded once


def test_filters_combine(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("cities", "list", "--region", "africa", "--year", "2025", "--format", "csv")
    lines = result.out.strip().splitlines()
    assert lines[0].startswith("id,name,country")
    assert {line.split(",")[0] for line in lines[1:]} == {
        "abuja",
        "bobo-dioulasso",
        "conakry",
        "kisumu",
        "korhogo",
        "lubango",
    }


def test_a_city_is_found_by_each_of_its_fields_with_that_designations_year(uccn) -> None:  # type: ignore[no-untyped-def]
    def listed(*filters: str) -> dict[str, tuple[str, str]]:
        result = uccn("cities", "list", *filters)
        assert result.code == 0, result.err
        rows = [line.split("  ") for line in result.out.splitlines()[3:]]
        cells = [[cell.strip() for cell in row if cell.strip()] for row in rows]
        return {row[0]: (row[3], row[4]) for row in cells if row}

    assert listed("--field", "media-arts", "--country", "fr")["lyon"] == ("Media Arts", "2008")
    assert listed("--field", "literature", "--country", "fr")["lyon"] == ("Literature", "2023")
    assert listed("--country", "fr")["lyon"] == ("Literature", "2023")  # its field today
    assert "lyon" in listed("--year", "2008") and "lyon" in listed("--year", "2023")
    assert "lyon" not in listed("--field", "media-arts", "--year", "2023")
    assert len(listed("--year", "2025")) == 55
    shown = uccn("cities", "show", "lyon").out
    assert "Media Arts, 2008" in shown and "Literature, 2023" in shown


def test_fields_count_their_member_cities(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("fields")
    rows = {line.split()[0]: line.split() for line in result.out.splitlines()[3:] if line}
    assert rows["architecture"][-3:] == ["2025", "5", "unesco"]
    assert rows["media-arts"][-2] == "27"  # Lyon is a City of Literature now


def test_unknown_filters_are_errors_naming_what_is_known(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("cities", "list", "--field", "poetry")
    assert result.code == 1
    assert (
        "unknown creative field 'poetry'; known fields: architecture, crafts-folk-art" in result.err
    )
    assert uccn("cities", "list", "--region", "mars").code == 1
    assert "not an ISO 3166-1" in uccn("cities", "list", "--country", "France").err


def test_show_gives_facts_with_their_sources_and_suggests_ids(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("cities", "show", "lyon")
    assert "Media Arts, 2008" in result.out and "Literature, 2023" in result.out
    assert "unverified" in result.out
    missing = uccn("cities", "show", "Granda")
    assert missing.code == 1
    assert "Did you mean granada, granada-0" in missing.err
    assert "Did you mean buffalo-city?" in uccn("cities", "show", "Buffalo City").err


def test_a_bad_import_exits_non_zero_and_changes_nothing(uccn) -> None:  # type: ignore[no-untyped-def]
    before = uccn("cities", "export", "--format", "json").out
    result = uccn("cities", "import", str(EXAMPLES / "cities-with-errors.csv"))
    assert result.code == 1
    assert "line 3, column 'field': unknown creative field 'poetry'" in result.err
    assert "4 of 5 rows in cities-with-errors.csv are bad; nothing was imported" in result.err
    assert uccn("cities", "export", "--format", "json").out == before


def test_import_then_reimport_changes_nothing_the_second_time(uccn) -> None:  # type: ignore[no-untyped-def]
    path = str(EXAMPLES / "coordinates-2025.csv")
    assert "0 added, 2 updated, 0 unchanged" in uccn("cities", "import", path).out
    assert "0 added, 0 updated, 2 unchanged" in uccn("cities", "import", path).out
    shown = uccn("cities", "show", "sifnos").out
    assert "36.97361, 24.72333" in shown and "import:coordinates-2025.csv" in shown


def test_export_then_import_round_trips(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("csv", "json"):
        target = tmp_path / f"cities.{fmt}"
        exported = uccn("cities", "export", "--format", fmt, "--output", str(target))
        assert "Wrote 405 cities" in exported.err
        imported = uccn("cities", "import", str(target), "--dry-run")
        assert "all 405 rows are valid" in imported.out
    # Read back, the same facts change nothing: not the cities, not where their facts come
    # from (a CSV has no provenance), not which source may correct them later.
    for fmt in ("json", "csv"):
        result = uccn("cities", "import", str(tmp_path / f"cities.{fmt}"))
        assert "0 added, 0 updated, 405 unchanged" in result.out
    lyon = uccn("cities", "show", "lyon").out
    assert "dataset_note" in lyon and "unverified" in lyon and "import:" not in lyon


def test_import_of_a_missing_or_empty_file(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "cannot read" in uccn("cities", "import", str(tmp_path / "none.csv")).err
    (tmp_path / "empty.csv").write_text("")
    result = uccn("cities", "import", str(tmp_path / "empty.csv"))
    assert result.code == 1 and "empty.csv is empty" in result.err


def test_fields_and_plugins(uccn) -> None:  # type: ignore[no-untyped-def]
    fields = uccn("fields", "--language", "es")
    assert "8 creative fields" in fields.out and "Artesanía y artes populares" in fields.out
    plugins = uccn("plugins")
    assert "uccn-unesco 0.1.0" in plugins.out and "uccn_register_city_sources" in plugins.out
    assert "uccn-sdk 0.1.0" in plugins.out


def test_a_database_that_does_not_answer(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("--database-url", "postgresql://u:pw@127.0.0.1:1/x", "cities", "list")
    assert result.code == 1
    assert "could not open the database at postgresql+psycopg://u:***@127.0.0.1:1/x" in result.err


def test_db_upgrade_and_status(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert "revision none" in uccn("--database-url", url, "db", "status").out
    upgraded = uccn("--database-url", url, "db", "upgrade").out
    assert f"migrated from revision none to {HEAD}" in upgraded
    assert (
        f"up to date at schema revision {HEAD}" in uccn("--database-url", url, "db", "upgrade").out
    )


def test_a_broken_plugin_is_named_and_the_rest_still_works(
    uccn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    install(
        tmp_path,
        monkeypatch,
        "uccn-bad-fields",
        """
        def uccn_register_fields(register):
            register({"slug": "circus", "names": {"fr": "Cirque"}})
        """,
    )
    listed = uccn("cities", "list", "--field", "music")
    assert listed.code == 0
    assert "84 cities" in listed.out
    assert "warning: plugin 'uccn-bad-fields': registered an invalid creative field" in listed.err
    assert "English name" in listed.err
    report = uccn("plugins")
    assert report.code == 1
    assert "1 plugin problem (" in report.err


def test_errors_name_the_file_or_input_without_a_traceback(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def new_call(text_file: Path):  # type: ignore[no-untyped-def]
        return uccn(
            "calls", "new", "c1", "--title", "T", "--text-file", str(text_file),
            "--deadline", "2099-01-01T00:00Z", "--everyone",
        )  # fmt: skip

    missing = new_call(tmp_path / "nope.txt")
    assert missing.code == 1
    assert f"error: {tmp_path / 'nope.txt'}: No such file or directory" in missing.err
    assert "is a directory" in new_call(tmp_path).err.lower()
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Crème brûlée".encode("latin-1"))
    assert "is not UTF-8 text" in new_call(latin1).err
    folder = uccn("cities", "export", "-o", str(tmp_path / "no" / "such" / "x.csv"))
    assert folder.code == 1 and "No such file or directory" in folder.err
    markup = uccn("cities", "show", "[/red]")
    assert markup.code == 1 and "[/red]" in markup.err


def test_an_unknown_country_is_said_not_counted_as_none(uccn) -> None:  # type: ignore[no-untyped-def]
    """Issue 28: `--country XX` answered "0 cities", as if the network had none there."""
    result = uccn("cities", "list", "--country", "XX")
    assert result.code == 1
    assert "unknown country 'XX': it is not an ISO 3166-1 alpha-2 country code" in result.err
    assert uccn("cities", "list", "--country", "gl").code == 0  # Greenland is one
