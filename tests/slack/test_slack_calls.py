"""A call in Slack: the card, thread replies, the form, reactions, edits and the slash command,
through Bolt's real request handling over Socket Mode, against the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.waiting import until
from uccn_sdk.calls.service import Calls
from uccn_sdk.models import Audience, Call, Question
from uccn_sdk.runtime.bot import Bot

from .conftest import SECRETARIAT, SlackWorld
from .payloads import select_value

pytestmark = pytest.mark.asyncio

QUESTIONS = [
    Question(id="q1", prompt="How many events?", kind="number"),
    Question(id="q2", prompt="Your best project?"),
]


def open_call(bot: Bot, call_id: str = "survey", **values: Any) -> None:
    Calls.of(bot.runtime).create(
        Call(
            id=call_id,
            title=values.pop("title", "Annual survey"),
            text=values.pop("text", "Tell us about your year."),
            questions=values.pop("questions", QUESTIONS),
            audience=values.pop("audience", Audience(cities=["lyon"])),
            deadline=datetime.now(UTC) + timedelta(days=7),
            **values,
        )
    )
    Calls.of(bot.runtime).open(call_id)
    bot.wake()


def reply_of(world: SlackWorld, call: str = "survey", city: str = "lyon") -> Any:
    with world.store.begin() as tx:
        return tx.replies.get(call, city)


async def call_post(world: SlackWorld, channel: str = "C1") -> dict[str, Any]:
    return await until(lambda: next((p for p in world.posts(channel) if p.get("blocks")), None))


async def test_a_call_is_a_card_whose_deadline_each_reader_sees_in_their_own_time(
    slack: SlackWorld,
) -> None:
    bot = await slack.start_bot()
    open_call(bot, title="Survey <!channel> & more")
    post = await call_post(slack)
    kinds = [b["type"] for b in post["blocks"]]
    assert kinds[0] == "header" and kinds[-1] == "actions"
    assert post["blocks"][0]["text"]["text"] == "Survey <!channel> & more"  # plain text: inert
    context = next(b for b in post["blocks"] if b["type"] == "context")
    deadline = int(Calls.of(bot.runtime).call("survey").deadline.timestamp())
    assert f"<!date^{deadline}^" in context["elements"][0]["text"]
    button = post["blocks"][-1]["elements"][0]
    assert button["value"] == "survey" and button["text"]["text"] == "Reply"
    assert "<!channel>" not in post["text"] and "&lt;" in post["text"]
    assert post["metadata"]["event_payload"] == {"key": "call:survey:slack:C1"}


async def test_a_thread_reply_delivered_three_times_is_stored_once(slack: SlackWorld) -> None:
    bot = await slack.start_bot()
    open_call(bot)
    post = await call_post(slack)
    envelope = slack.emulator.message_event("C1", "U1", "1. 12\n2. Fête", thread_ts=post["ts"])
    ids = [slack.emulator.deliver("events_api", envelope) for _ in range(3)]
    for envelope_id in ids:
        await slack.emulator.wait_acked(envelope_id)
    stored = await until(lambda: reply_of(slack))
    assert stored.answers == {"q1": 12.0, "q2": "Fête"}
    notices = await until(lambda: slack.thread("C1", post["ts"]))
    await bot.flush()
    assert len(slack.thread("C1", post["ts"])) == 1
    assert "Recorded the answer of Lyon" in notices[0]["text"]


async def test_the_reply_button_opens_a_form_whose_mistakes_show_in_the_form(
    slack: SlackWorld,
) -> None:
    bot = await slack.start_bot()
    open_call(
        bot,
        questions=[
            Question(id="q1", prompt="How many events?", kind="number"),
            Question(id="q2", prompt="Which season?", kind="choice", choices=["Spring", "Autumn"]),
            Question(id="q3", prompt="Opening day?", kind="date"),
        ],
    )
    post = await call_post(slack)
    click = slack.emulator.block_actions("U1", "C1", post["ts"], "uccn_reply", "survey")
    await slack.emulator.wait_acked(slack.emulator.deliver("interactive", click))
    view_id, opened = await until(lambda: next(iter(slack.emulator.views.items()), None))
    blocks = opened["view"]["blocks"]
    assert [b["block_id"] for b in blocks] == ["q1", "q2", "q3"]
    assert [b["element"]["type"] for b in blocks] == [
        "number_input",
        "static_select",
        "datepicker",
    ]

    wrong = slack.emulator.view_submission(
        "U1", view_id, state_values={"q1": {"answer": "many"}, "q3": {"answer": "soon"}}
    )
    ack = await slack.emulator.wait_acked(slack.emulator.deliver("interactive", wrong))
    assert ack is not None and ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"q1", "q3"} and "number" in ack["errors"]["q1"]
    assert reply_of(slack) is None

    right = slack.emulator.view_submission(
        "U1",
        view_id,
        state_values={
            "q1": {"answer": "4"},
            "q2": {"answer": select_value("Autumn", "Autumn")},
        },
    )
    ack = await slack.emulator.wait_acked(slack.emulator.deliver("interactive", right))
    assert not (ack or {}).get("response_action")
    stored = await until(lambda: reply_of(slack))
    assert stored.answers == {"q1": 4.0, "q2": "Autumn"}
    notice = await until(lambda: slack.thread("C1", post["ts"]))
    assert "Recorded the answer of Lyon" in notice[0]["text"]


async def test_edits_deletions_and_reactions_update_or_withdraw_the_reply(
    slack: SlackWorld,
) -> None:
    bot = await slack.start_bot()
    open_call(
        bot,
        questions=[Question(id="q1", prompt="Join?", kind="choice", choices=["Yes", "No"])],
    )
    post = await call_post(slack)
    emulator = slack.emulator
    emulator.deliver("events_api", emulator.reaction_added("C1", post["ts"], "U1", "two"))
    assert (await until(lambda: reply_of(slack))).answers == {"q1": "No"}
    emulator.deliver("events_api", emulator.reaction_removed("C1", post["ts"], "U1", "two"))
    await until(lambda: reply_of(slack).withdrawn)

    answer = emulator.message_event("C1", "U1", "1. Yes", thread_ts=post["ts"])
    emulator.deliver("events_api", answer)
    await until(lambda: not reply_of(slack).withdrawn and reply_of(slack).answers == {"q1": "Yes"})
    ts = answer["event"]["ts"]
    emulator.deliver("events_api", emulator.message_changed("C1", ts, "1. No", "U1"))
    await until(lambda: reply_of(slack).answers == {"q1": "No"})
    assert [r.answers for r in reply_of(slack).history][-1] == {"q1": "Yes"}
    emulator.deliver("events_api", emulator.message_deleted("C1", ts))
    await until(lambda: reply_of(slack).withdrawn)


def whispers(slack: SlackWorld, user: str, channel: str) -> list[str]:
    """The texts of the ephemeral messages `user` was shown in `channel`."""
    shown = slack.emulator.ephemeral
    return [e["text"] for e in shown if e["user"] == user and e["channel"] == channel]


async def test_the_slash_command_answers_its_user_alone_and_checks_the_secretariat(
    slack: SlackWorld,
) -> None:
    await slack.start_bot()
    emulator = slack.emulator
    emulator.deliver("slash_commands", emulator.slash_command("U1", "C1", text="help"))
    helped = await until(lambda: [t for t in whispers(slack, "U1", "C1") if "call list" in t])
    assert helped
    emulator.deliver("slash_commands", emulator.slash_command("U1", "C1", text="call close x"))
    refused = await until(lambda: [t for t in whispers(slack, "U1", "C1") if "Secretariat" in t])
    assert refused
    assert slack.posts("C1") == []  # the channel saw neither the commands nor the answers
    # Without link_by_email the bot never asks Slack for anyone's profile.
    assert "users.info" not in {method for method, _ in emulator.calls}


async def test_nobody_is_mass_mentioned_by_what_a_user_wrote(slack: SlackWorld) -> None:
    bot = await slack.start_bot()
    open_call(bot)
    post = await call_post(slack)
    emulator = slack.emulator
    text = "1. <!channel> <!here|here> <!everyone> @channel"
    emulator.deliver("events_api", emulator.message_event("C1", "U1", text, thread_ts=post["ts"]))
    emulator.deliver("slash_commands", emulator.slash_command("U1", "C1", text="iam <!here>"))
    await until(lambda: len(slack.thread("C1", post["ts"])) >= 1 and whispers(slack, "U1", "C1"))
    shown = [p["text"] for p in slack.posts("C1")] + whispers(slack, "U1", "C1")
    for text in shown:
        for token in ("<!channel", "<!here", "<!everyone"):
            assert token not in text, text


async def test_a_verified_email_links_a_slack_user_to_their_focal_point(
    slack: SlackWorld,
) -> None:
    slack.focal_point("bologna", "", email="bea@example.org")
    slack.channels["bologna"] = "C2"
    slack.emulator.add_channel("C2", "bologna")
    bot = await slack.start_bot(link_by_email=True)
    open_call(bot, audience=Audience(cities=["bologna"]))
    post = await call_post(slack, "C2")
    emulator = slack.emulator
    emulator.deliver("events_api", emulator.message_event("C2", "U2", "1. 3", thread_ts=post["ts"]))
    stored = await until(lambda: reply_of(slack, city="bologna"))
    assert stored.verified and stored.author == "U2"
    assert "users.info" in {method for method, _ in emulator.calls}
    with slack.store.begin() as tx:
        assert tx.focal_points.by_handle("slack", "U2") is not None


async def test_an_export_asked_in_a_direct_chat_comes_with_its_file_in_the_thread(
    slack: SlackWorld,
) -> None:
    bot = await slack.start_bot()
    open_call(bot)
    emulator = slack.emulator
    emulator.add_channel("DSEC", "secretariat-dm", is_im=True, user=SECRETARIAT)
    emulator.deliver(
        "events_api", emulator.message_event("DSEC", SECRETARIAT, "call export survey csv")
    )
    answer = await until(lambda: next(iter(slack.posts("DSEC")), None))
    assert answer["text"] == "The answers to “Annual survey”: 0 of 1 city, in the file survey.csv."
    (shared,) = await until(lambda: slack.thread("DSEC", answer["ts"]))
    (file,) = shared["files"]
    assert file["name"] == "survey.csv"
    uploaded = emulator.files[file["id"]]["data"].decode()
    assert uploaded.splitlines()[0].startswith("city,") and "lyon" in uploaded
    assert emulator.violations == []


async def test_an_export_asked_by_slash_command_says_how_to_get_the_file(
    slack: SlackWorld,
) -> None:
    bot = await slack.start_bot()
    open_call(bot)
    emulator = slack.emulator
    asked = emulator.slash_command(SECRETARIAT, "CSEC", text="call export survey md")
    emulator.deliver("slash_commands", asked)
    (said,) = await until(lambda: whispers(slack, SECRETARIAT, "CSEC"))
    assert said.endswith(
        "No file can be posted here: run “uccn calls export survey --format md” to get the export."
    )  # an ephemeral message carries no file
    assert emulator.files == {}
