"""The CLI's plain tables: aligned columns that fit a terminal."""

from __future__ import annotations

from uccn_sdk.cli.tables import table_lines

HEADERS = ("id", "name", "time zone")
ROWS = [
    ("lyon", "Lyon", "Europe/Paris"),
    ("ulyanovsk", "Ulyanovsk", "Europe/Ulyanovsk"),
    ("ciudad-de-mexico", "Ciudad de México", "America/Mexico_City"),
]


def test_columns_are_aligned_to_their_widest_cell() -> None:
    lines = table_lines(HEADERS, ROWS)
    assert lines[0] == "id                name              time zone"
    assert lines[1] == "────────────────  ────────────────  ───────────────────"
    assert lines[3] == "ulyanovsk         Ulyanovsk         Europe/Ulyanovsk"
    assert lines[4] == "ciudad-de-mexico  Ciudad de México  America/Mexico_City"


def test_on_a_narrow_terminal_the_widest_columns_are_cut() -> None:
    lines = table_lines(HEADERS, ROWS, width=40)
    assert all(len(line) <= 40 for line in lines)
    assert lines[4] == "ciudad-de-m…  Ciudad de M…  America/Mex…"


def test_wide_characters_take_two_cells() -> None:
    lines = table_lines(("name", "country"), [("京都", "JP"), ("Kyoto", "JP")])
    assert lines[2] == "京都   JP"
    assert lines[3] == "Kyoto  JP"
