"""A closed call's summary reaches the webhook; a webhook that fails does not stop the close."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import uccn_webhook

from uccn_sdk.models import Audience, Call, Question


@pytest.fixture
def webhook():
    """A webhook on 127.0.0.1 that keeps the JSON documents posted to it."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()
    server.server_close()


def open_call(bot):
    network = bot.network
    network.calls.create(
        Call(
            id="survey",
            title="Food festivals",
            text="How many food festivals did you hold this year?",
            questions=[Question(id="q1", prompt="How many?", kind="number")],
            audience=Audience(fields=["gastronomy"]),
            deadline=network.now + timedelta(days=7),
        )
    )
    network.calls.open("survey")
    bot.flush()


def test_closing_a_call_sends_its_summary(uccn_bot, uccn_plugin, webhook, monkeypatch):
    url, received = webhook
    monkeypatch.setenv("UCCN_WEBHOOK_URL", url)
    uccn_plugin(uccn_webhook, "webhook")
    open_call(uccn_bot)
    uccn_bot.say("@popayan", "1. 3", thread=uccn_bot.last_post("#popayan"))
    uccn_bot.say("@secretariat", "!uccn call close survey")
    assert received == [
        {
            "call": "survey",
            "title": "Food festivals",
            "deadline": uccn_bot.network.calls.call("survey").deadline.isoformat(),
            "replies": 1,
            "answers": {"popayan": {"q1": 3.0}},
        }
    ]


def test_a_webhook_that_is_down_is_logged_and_the_call_still_closes(
    uccn_bot, uccn_plugin, monkeypatch, caplog
):
    monkeypatch.setenv("UCCN_WEBHOOK_URL", "http://127.0.0.1:9/nobody-listens")
    uccn_plugin(uccn_webhook, "webhook")
    open_call(uccn_bot)
    answer = uccn_bot.say("@secretariat", "!uccn call close survey")
    assert any("closed" in text.lower() for text in answer), answer
    assert uccn_bot.network.calls.call("survey").state == "closed"
    assert "lifecycle hook failed" in caplog.text


def test_without_an_address_nothing_is_sent(uccn_bot, uccn_plugin, webhook, monkeypatch):
    _, received = webhook
    monkeypatch.delenv("UCCN_WEBHOOK_URL", raising=False)
    uccn_plugin(uccn_webhook, "webhook")
    open_call(uccn_bot)
    uccn_bot.say("@secretariat", "!uccn call close survey")
    assert received == []


def test_an_address_that_is_not_http_is_reported_by_the_plugins_name(
    uccn_bot, uccn_plugin, monkeypatch
):
    monkeypatch.setenv("UCCN_WEBHOOK_URL", "file:///etc/passwd")
    uccn_plugin(uccn_webhook, "webhook")
    open_call(uccn_bot)
    uccn_bot.say("@secretariat", "!uccn call close survey")
    problems = uccn_bot.network.problems()
    assert any("webhook" in p and "http(s) address" in p for p in problems), problems
