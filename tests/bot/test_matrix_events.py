"""Raw Matrix events to uccn events: what any room member may put in an event is read safely."""

from __future__ import annotations

from typing import Any

import pytest
from uccn_bot.matrix.events import to_event

from uccn_sdk.chat.events import Edit, Message


def event(content: Any, **fields: Any) -> dict[str, Any]:
    raw = {
        "type": "m.room.message",
        "event_id": "$e",
        "sender": "@ana:uccn.test",
        "origin_server_ts": 1_760_000_000_000,
        "content": content,
    }
    return {**raw, **fields}


@pytest.mark.parametrize(
    "raw",
    [
        event(["a", "list"]),
        event({"msgtype": "m.text", "body": "1. 3", "m.relates_to": "nonsense"}),
        event({"msgtype": "m.text", "body": "1. 3", "m.relates_to": {"m.in_reply_to": "$x"}}),
        event(
            {
                "msgtype": "m.text",
                "body": "x",
                "m.relates_to": {
                    "rel_type": "m.replace",
                    "event_id": "$a",
                    "m.new_content": "nope",
                },
            }
        ),
        event({"msgtype": "m.text", "body": "1. 3"}, origin_server_ts="yesterday"),
        event({"msgtype": "m.text", "body": "1. 3"}, origin_server_ts=10**30),
        event(
            {"key": "x", "m.relates_to": {"rel_type": "m.annotation", "event_id": 5}},
            type="m.reaction",
        ),
    ],
)
def test_malformed_content_is_read_safely_or_not_at_all(raw: dict[str, Any]) -> None:
    found = to_event("!room", raw, direct=False)
    assert found is None or isinstance(found, Message | Edit)


@pytest.mark.parametrize("msgtype", ["m.notice", "m.file", "m.image", None])
def test_only_what_people_write_is_read(msgtype: str | None) -> None:
    assert to_event("!room", event({"msgtype": msgtype, "body": "1. 3"}), direct=True) is None


def test_a_plain_reply_counts_as_a_thread_reply() -> None:
    relation = {"m.in_reply_to": {"event_id": "$post"}}
    body = "> <@bot:uccn.test> The call\n\n1. 3"
    content = {"msgtype": "m.text", "body": body, "m.relates_to": relation}
    found = to_event("!room", event(content), direct=False)
    assert isinstance(found, Message) and found.thread_root == "$post" and found.text == "1. 3"
