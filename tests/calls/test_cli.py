"""`uccn calls …` end to end on a fresh store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_a_call_from_draft_to_export(configured) -> None:  # type: ignore[no-untyped-def]
    uccn = configured
    created = uccn(
        "calls",
        "new",
        "survey",
        "--title",
        "Survey",
        "--text",
        "Tell us",
        "--deadline",
        "2099-01-10T12:00+01:00",
        "-q",
        "Events?::number",
        "-q",
        "Coming?::choice:yes|no",
        "--city",
        "lyon",
        "--field",
        "music",
    )
    assert created.code == 0, created.err
    assert "the bot posts it to 2 rooms." in uccn("calls", "open", "survey").out
    listed = uccn("calls", "list")
    assert "survey  open" in listed.out
    status = uccn("calls", "status", "survey")
    assert "0 of 85 cities answered" in status.out
    exported = uccn("calls", "export", "survey", "--format", "json")
    document = json.loads(exported.out)
    assert len(document["replies"]) == 85
    assert document["call"]["questions"][1]["choices"] == ["yes", "no"]
    closed = uccn("calls", "close", "survey")
    assert "0 of 85 cities answered (0%)" in closed.out
    assert uccn("calls", "close", "survey").code == 1


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--deadline", "2020-01-01T00:00Z", "--everyone"], "has passed"),
        (["--deadline", "2099-01-01T00:00Z"], "the audience is empty"),
        (
            ["--deadline", "2099-01-01T00:00Z", "--everyone", "-q", "Pick::choice:one"],
            "at least two choices",
        ),
        (["--deadline", "2099-01-01T00:00", "--everyone"], "UTC offset"),
    ],
)
def test_bad_calls_are_refused(configured, arguments: list[str], says: str) -> None:  # type: ignore[no-untyped-def]
    result = configured("calls", "new", "bad", "--title", "T", "--text", "x", *arguments)
    assert result.code == 1
    assert says in result.err


def test_a_broken_configuration_is_named(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.toml"
    path.write_text("[rooms.matrix]\ncities = 3\n")
    result = uccn("--config", str(path), "calls", "open", "x")
    assert result.code == 1
    assert "the configuration" in result.err and "rooms.matrix.cities" in result.err


def test_closing_a_call_from_the_command_line_fires_the_webhook_plugin(
    configured,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recwarn: pytest.WarningsRecorder,
) -> None:
    """examples/uccn-webhook returns an awaitable from uccn_call_closed; the command awaits it
    (before, it printed 'coroutine … was never awaited' and nothing was posted)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.test_plugins import write_distribution

    received: list[dict[str, object]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        webhook = Path(__file__).resolve().parents[2] / "examples" / "uccn-webhook" / "src"
        monkeypatch.syspath_prepend(str(webhook))
        # Installed as pip would: its entry point names the example's package.
        write_distribution(tmp_path, "uccn-webhook-example", "", "[uccn]\nwebhook = uccn_webhook\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        monkeypatch.setenv("UCCN_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/hook")
        uccn = configured
        call = ["--title", "Survey", "--text", "Tell us", "--deadline", "2099-01-10T12:00Z"]
        made = uccn("calls", "new", "survey", *call, "-q", "Events?::number", "--city", "lyon")
        assert made.code == 0, made.err
        uccn("calls", "open", "survey")
        closed = uccn("calls", "close", "survey")
        assert closed.code == 0, closed.err
    finally:
        server.shutdown()
        server.server_close()
    assert [(r["call"], r["replies"]) for r in received] == [("survey", 0)]
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


def test_a_question_written_as_in_chat_works_on_the_command_line(configured) -> None:  # type: ignore[no-untyped-def]
    uccn = configured
    created = uccn(
        "calls", "new", "brackets", "--title", "T", "--text", "Tell us",
        "--deadline", "2099-01-10T12:00+01:00", "-q", "Coming? [choice:yes|no]", "--city", "lyon",
    )  # fmt: skip
    assert created.code == 0, created.err
    document = json.loads(uccn("calls", "export", "brackets", "--format", "json").out)
    assert document["call"]["questions"][0]["choices"] == ["yes", "no"]


def test_every_problem_of_a_call_is_listed(configured) -> None:  # type: ignore[no-untyped-def]
    result = configured(
        "calls", "new", "bad", "--title", "", "--text", "x", "--deadline", "2099-01-01T00:00Z",
        "--everyone", "-q", "Pick::choice:one", "-q", "Date::date",
    )  # fmt: skip
    assert result.code == 1
    # Both, each in words: not the first with "(and 1 more problems)".
    assert "title is empty" in result.err
    assert "question 1: question q1 is a choice: give at least two choices" in result.err
    assert "more problems" not in result.err
