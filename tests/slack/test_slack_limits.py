"""A call too big for Slack is refused when it is written, saying which limit, rather than shown
cut in every channel: Slack takes 50 blocks in a message and 3,000 characters in a block."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from uccn_bot.slack.blocks import MAX_BLOCKS, card_blocks, refusal

from uccn_sdk.calls.service import CallError, Calls
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Audience, Call, Question
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store


def calls_on(platform: str, tmp_path: Path) -> Calls:
    store = Store.open(f"sqlite:///{tmp_path / 'uccn.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    config = NetworkConfig(rooms={platform: RoomMap(cities={"lyon": "C1"})})
    return Calls(store, plugins, config)


def call(text: str, prompts: list[str]) -> Call:
    return Call(
        id="big",
        title="A big call",
        text=text,
        questions=[
            Question(id=f"q{n}", prompt=prompt, kind="text") for n, prompt in enumerate(prompts, 1)
        ],
        audience=Audience(cities=["lyon"]),
        deadline=datetime.now(UTC) + timedelta(days=7),
    )


# R&D in every line: Slack shows `&` as `&amp;`, five characters, so the call takes more
# blocks on Slack than its length says; its bytes stay within what Matrix takes.
BIG = call("R&D&" * 5000, ["R&D&R&D " * 125] * 30)


def test_a_call_too_big_for_slacks_blocks_is_refused_when_written(tmp_path: Path) -> None:
    calls = calls_on("slack", tmp_path)
    with pytest.raises(CallError) as refused:
        calls.create(BIG)
    said = str(refused.value)
    assert said.startswith("slack cannot show the call's post: Slack shows 50 blocks")
    assert "shorten its text or questions" in said
    with calls.store.begin() as tx:
        assert tx.calls.get("big") is None


def test_the_same_call_is_taken_where_no_room_is_on_slack(tmp_path: Path) -> None:
    assert calls_on("matrix", tmp_path).create(BIG).id == "big"


def test_a_call_slack_takes_is_posted_whole_within_50_blocks(tmp_path: Path) -> None:
    calls = calls_on("slack", tmp_path)
    fits = call("Tell us about your year.\n" * 400, ["How many events? " * 50] * 30)
    calls.create(fits)
    opening = calls.open("big")
    assert opening.posts == 1
    with calls.store.begin() as tx:
        (row,) = tx.outbox.pending("slack")
    assert isinstance(row.message, OutboundMessage) and row.message.card is not None
    assert refusal(row.message) is None
    blocks = card_blocks(row.message.card)
    assert len(blocks) <= MAX_BLOCKS
    shown = "".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert shown.count("How many events?") == 30 * 50  # every question, uncut
    assert "…" not in shown
