"""The Slack connector's pure parts: settings, escaping, Block Kit limits, pacing, ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from uccn_bot.slack import blocks
from uccn_bot.slack.events import emoji_name, event_id, split_id, to_event
from uccn_bot.slack.pacing import Pacer
from uccn_bot.slack.settings import SlackSettings

from uccn_sdk.chat.events import CallCard, Edit, Message
from uccn_sdk.chat.forms import Form
from uccn_sdk.errors import UccnError
from uccn_sdk.models import Question
from uccn_sdk.plugins import Plugins


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({}, "bot_token"),
        ({"bot_token": "xoxp-user"}, "bot_token"),
        ({"bot_token": "xoxb-1"}, "app_token"),
        ({"bot_token": "xoxb-1", "mode": "http"}, "signing_secret"),
        ({"bot_token": "xoxb-1", "mode": "rtm"}, "'socket' or 'http'"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "colour": "red"}, "unknown Slack"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "channel_rate": 0}, "rates above 0"),
        ({"bot_token": "xoxb-1", "app_token": "xapp-1", "workspace_rate": -1}, "rates above 0"),
    ],
)
def test_bad_settings_say_what_to_fix(config: dict[str, object], message: str) -> None:
    with pytest.raises(UccnError, match=message):
        SlackSettings.from_config(config)


def test_the_slack_connector_is_registered_like_any_plugin() -> None:
    assert "slack" in {factory.platform for factory in Plugins.load().connectors()}


def test_escaping_leaves_no_mention_link_or_markup() -> None:
    text = blocks.escape("<!channel> <@U1> <https://x|y> & @here")
    assert "<" not in text and ">" not in text and "&amp;" in text
    assert "@here" not in text  # broken by a zero-width space


def test_text_typed_in_slack_is_read_as_typed_not_as_slack_escaped_it() -> None:
    typed = (
        "Q&amp;A &lt;live&gt; at <https://x.org/a?b=1&amp;c=2|the site>, <https://y.org>, "
        "<mailto:a@b.org|a@b.org>; ask <@U1> in <#C1|general> <!channel> <!subteam^S1|@team>"
    )
    body = {"event": {"type": "message", "channel": "C1", "user": "U2", "ts": "1.2", "text": typed}}
    event = to_event(body, None, bot_user="UBOT")
    assert isinstance(event, Message)
    assert event.text == (
        "Q&A <live> at the site (https://x.org/a?b=1&c=2), https://y.org, "
        "a@b.org; ask @U1 in #general @channel @team"
    )
    # Posted back to Slack, it is escaped once, so it shows as typed and pings no one.
    assert blocks.escape(event.text).startswith("Q&amp;A &lt;live&gt; at the site")
    assert "<!channel>" not in blocks.escape(event.text)


def test_a_long_call_is_cut_to_slacks_limits_not_refused() -> None:
    card = CallCard(
        call="c",
        title="T" * 400,
        text="line\n" * 20_000,
        questions=("1. Q?",),
        deadline=datetime(2030, 1, 1, tzinfo=UTC),
        hint="hint",
        deadline_label="Deadline",
        reply_label="Reply",
    )
    built = blocks.card_blocks(card)
    assert len(built) <= 50
    assert len(built[0]["text"]["text"]) <= 150
    assert all(len(b["text"]["text"]) <= 3000 for b in built if b["type"] == "section")

    form = Form(
        call="c",
        title="A very long title for a modal",
        questions=(Question(id="q1", prompt="P", kind="choice", choices=["C" * 100, "D"]),),
        language="en",
        submit_label="Send",
        cancel_label="Cancel",
        answer_label="Your answer",
    )
    view = blocks.modal(form, channel="C1", ts="1.2")
    assert len(view["title"]["text"]) <= 24
    options = view["blocks"][0]["element"]["options"]
    assert len(options[0]["text"]["text"]) <= 75 and options[0]["value"] == "C" * 100


def test_a_form_error_for_the_whole_form_goes_on_its_first_field() -> None:
    shown = blocks.errors({"": "The call is closed", "q2": "x" * 400}, ["q1", "q2"])
    assert shown["q1"] == "The call is closed" and len(shown["q2"]) <= 150


def test_pacing_lets_a_burst_through_then_one_a_second() -> None:
    now = [0.0]
    pacer = Pacer(rate=1.0, burst=3, clock=lambda: now[0])
    assert [pacer.delay("C1") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert pacer.delay("C1") == pytest.approx(1.0)
    assert pacer.delay("C2") == 0.0  # another channel has its own pace
    now[0] = 10.0
    assert pacer.delay("C1") == 0.0


def test_ids_and_emoji_names() -> None:
    assert split_id(event_id("C1", "1.2")) == ("C1", "1.2")
    with pytest.raises(ValueError, match="not a Slack message id"):
        split_id("$matrix-event")
    assert emoji_name("✅") == "white_check_mark"
    assert emoji_name("2\ufe0f\u20e3") == "two"


def _callback(event: dict[str, object]) -> dict[str, object]:
    return {"type": "event_callback", "event_id": "Ev1", "event": {"channel": "C1", **event}}


def test_slackbot_me_messages_and_edits_without_ts_are_read_as_people_mean_them() -> None:
    """Issue 22, finding 11: Slackbot's messages were commands, a /me message was dropped, and
    an edit whose new message lacks its ts pointed at nothing."""
    slackbot = _callback({"type": "message", "user": "USLACKBOT", "text": "help", "ts": "1.1"})
    assert to_event(slackbot, None, bot_user="UBOT") is None
    me = _callback(
        {"type": "message", "subtype": "me_message", "user": "U1", "text": "waves", "ts": "1.2"}
    )
    message = to_event(me, None, bot_user="UBOT")
    assert isinstance(message, Message) and message.text == "waves"
    edited = _callback(
        {
            "type": "message",
            "subtype": "message_changed",
            "event_ts": "1.4",
            "message": {"user": "U1", "text": "1. 6"},
            "previous_message": {"user": "U1", "text": "1. 5", "ts": "1.3"},
        }
    )
    edit = to_event(edited, None, bot_user="UBOT")
    assert isinstance(edit, Edit) and edit.target == event_id("C1", "1.3")
