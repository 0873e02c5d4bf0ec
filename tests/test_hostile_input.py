"""Any input, however made, gives an event, an answer, a refusal or an ignore: never an exception
out of the code that reads what people and platforms send (property-based, with hypothesis)."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uccn_bot.matrix.events import to_event as matrix_event
from uccn_bot.slack.events import to_event as slack_event

from uccn_sdk.calls.parsing import NumberedParser, check_answers
from uccn_sdk.chat.events import Event
from uccn_sdk.commands import Command
from uccn_sdk.directory.reading import ImportFileError, read_cities
from uccn_sdk.errors import UccnError
from uccn_sdk.formulas import guarded, unguarded
from uccn_sdk.models import Question
from uccn_sdk.plugins import Plugins

# Text as platforms deliver it: any code point, NUL and lone surrogates included.
TEXT = st.text(st.characters(codec=None, categories=None), max_size=200)
WORDS = st.text(string.printable, max_size=60)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(WORDS, inner, max_size=4),
    max_leaves=20,
)
QUESTIONS = [
    Question(id="q1", prompt="How many?", kind="number"),
    Question(id="q2", prompt="Which?", kind="choice", choices=["yes", "no"]),
    Question(id="q3", prompt="Tell us"),
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _matrix_shaped(kind: str, content: Any, **more: Any) -> dict[str, Any]:
    return {"type": kind, "event_id": "$e", "sender": "@a:x", "content": content, **more}


@SETTINGS
@given(
    kind=st.sampled_from(["m.room.message", "m.reaction", "m.room.redaction", "m.sticker"]),
    content=JSON,
    extra=st.dictionaries(st.sampled_from(["redacts", "origin_server_ts", "unsigned"]), JSON),
)
def test_any_matrix_event_is_read_or_ignored(
    kind: str, content: Any, extra: dict[str, Any]
) -> None:
    event = matrix_event("!r:x", _matrix_shaped(kind, content, **extra), direct=False)
    assert event is None or isinstance(event, Event.__args__)  # type: ignore[attr-defined]


@SETTINGS
@given(raw=JSON)
def test_any_matrix_json_is_read_or_ignored(raw: Any) -> None:
    if isinstance(raw, dict):
        matrix_event("!r:x", raw, direct=True)


@SETTINGS
@given(
    event=st.fixed_dictionaries(
        {"channel": st.just("C1")},
        optional={
            "type": st.sampled_from(
                ["message", "reaction_added", "reaction_removed", "app_mention"]
            ),
            "subtype": st.sampled_from(
                ["message_changed", "message_deleted", "me_message", "file_share", "bot_message"]
            )
            | WORDS,
            "user": WORDS,
            "text": TEXT,
            "ts": WORDS | st.integers(),
            "thread_ts": WORDS | st.none(),
            "event_ts": WORDS | st.floats(),
            "message": JSON,
            "previous_message": JSON,
            "item": JSON,
            "reaction": TEXT,
            "channel_type": WORDS,
            "deleted_ts": JSON,
        },
    ),
    envelope=st.dictionaries(st.sampled_from(["event_id", "type"]), JSON),
)
def test_any_slack_callback_is_read_or_ignored(
    event: dict[str, Any], envelope: dict[str, Any]
) -> None:
    found = slack_event({**envelope, "event": event}, None, bot_user="UBOT")
    assert found is None or isinstance(found, Event.__args__)  # type: ignore[attr-defined]


@SETTINGS
@given(text=TEXT, language=st.sampled_from(["en", "fr", "es", "xx"]))
def test_any_reply_text_is_read_or_refused_with_reasons(text: str, language: str) -> None:
    for questions in (QUESTIONS, QUESTIONS[:1], QUESTIONS[1:2]):
        answers = NumberedParser().parse(text, questions)
        if answers is None:
            continue
        checked, problems = check_answers(answers, questions, language)
        assert set(checked) <= {q.id for q in questions}  # a number no question has is refused
        assert all(isinstance(reason, str) and reason for reason in problems.values())
        assert not set(checked) & set(problems)


SIGNATURES = [(c.name, c.signature) for c in Plugins.load().commands() if isinstance(c, Command)]


@SETTINGS
@given(text=TEXT, which=st.integers(min_value=0, max_value=len(SIGNATURES) - 1))
def test_any_command_line_is_read_or_refused_by_what_the_command_declares(
    text: str, which: int
) -> None:
    name, signature = SIGNATURES[which]
    try:
        arguments = signature.parse(text)
    except UccnError as refusal:
        said = str(refusal)
        assert said.strip(), name
    else:
        assert {p.name for p in signature.params} == set(arguments), name


@pytest.fixture(scope="module")
def fields() -> dict[str, Any]:
    return Plugins.load().fields().as_dict()


@SETTINGS
@given(
    rows=st.lists(st.lists(TEXT, min_size=0, max_size=7), max_size=5),
    header=st.sampled_from(
        ["id,name,country,field,year", "id,name,country,field,year,lat,lon,sdgs", "id,name"]
    ),
)
def test_any_csv_import_is_read_or_refused_by_line(
    rows: list[list[str]], header: str, fields: dict[str, Any], tmp_path_factory: Any
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header.split(","))
    writer.writerows(rows)
    path: Path = tmp_path_factory.mktemp("import") / "cities.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    try:
        cities, errors = read_cities(path, fields)
    except ImportFileError as refusal:
        said = str(refusal)
        assert said.startswith("cities.csv")
    else:
        assert all(error.line >= 2 and error.reason for error in errors)
        assert len(cities) + len(errors) <= len(rows)


CELLS = st.tuples(st.sampled_from(["", "'", "''", "=", "+", "-", "@", "+3", "-1", "\t"]), TEXT)


@SETTINGS
@given(parts=CELLS)
def test_any_csv_cell_reads_back_as_it_was_and_runs_nothing(parts: tuple[str, str]) -> None:
    text = "".join(parts)
    cell = guarded(text)
    assert cell in (text, "'" + text)
    assert unguarded(cell) == text
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert cell[0] in "+-@"
        assert not set(cell) & set('"!|&$;`\t\r')
        assert "(" not in cell or not any(c.isalpha() for c in cell)


@pytest.fixture(scope="module")
def answering(tmp_path_factory: Any) -> Any:
    """A network with an open call, and the thread Lyon answers in."""
    from datetime import timedelta

    from uccn_sdk.models import Audience, Call
    from uccn_sdk.testing.network import TestBot, TestNetwork

    network = TestNetwork.create(tmp_path_factory.mktemp("network"))
    network.calls.create(
        Call(
            id="survey",
            title="Survey",
            text="Tell us",
            questions=QUESTIONS,
            audience=Audience(cities=[c.id for c in network.cities]),
            deadline=network.now + timedelta(days=7),
        )
    )
    network.calls.open("survey")
    bot = TestBot(network)
    bot.flush()
    yield network, bot.last_post(f"#{network.cities[0].id}"), network.cities[0].id
    network.close()


@SETTINGS
@given(text=TEXT)
def test_any_reply_is_stored_or_refused_and_a_refusal_changes_nothing(
    answering: Any, text: str
) -> None:
    network, thread, city = answering
    with network.store.begin() as tx:
        before = tx.replies.get("survey", city)
    outcome = network.calls.handle(network.message(f"@{city}", text, thread=thread))
    with network.store.begin() as tx:
        after = tx.replies.get("survey", city)
    assert outcome.result in {"stored", "refused", "ignored"}
    if outcome.result != "stored":
        assert after == before
    else:
        assert after is not None and after.answers
