"""Nothing lost, nothing doubled: Slack's retries, the HTTP signature check, rate limits,
and a crash half way through a broadcast to 408 channels."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from uccn_bot.slack.events import event_id

from tests.waiting import until
from uccn_sdk.chat.events import Outbound, OutboundMessage
from uccn_sdk.models import Audience
from uccn_sdk.runtime.bot import Bot

from .conftest import SlackWorld
from .test_slack_calls import QUESTIONS, call_post, open_call, reply_of

pytestmark = pytest.mark.asyncio


async def http_bot(slack: SlackWorld) -> tuple[Bot, str]:
    bot = await slack.start_bot(
        mode="http", app_token=None, signing_secret=slack.emulator.signing_secret, port=0
    )
    connector = bot.connectors["slack"]
    return bot, f"http://127.0.0.1:{connector.port}/slack/events"  # type: ignore[attr-defined]


async def test_http_events_are_checked_by_bolt_and_stored_once_across_retries(
    slack: SlackWorld,
) -> None:
    bot, url = await http_bot(slack)
    open_call(bot)
    post = await call_post(slack)
    emulator = slack.emulator
    envelope = emulator.message_event("C1", "U1", "1. 5\n2. Fête", thread_ts=post["ts"])

    status, _ = await emulator.post_http(url, envelope, bad_signature=True)
    assert status == 401
    stale = int(time.time()) - 6 * 60
    status, _ = await emulator.post_http(url, envelope, timestamp=stale)
    assert status == 401
    assert reply_of(slack) is None

    for retry in (None, 1, 2):
        status, _ = await emulator.post_http(
            url, envelope, retry_num=retry, retry_reason="http_timeout" if retry else None
        )
        assert status == 200
    assert reply_of(slack).answers == {"q1": 5.0, "q2": "Fête"}
    await until(lambda: slack.thread("C1", post["ts"]))
    await bot.flush()
    assert len(slack.thread("C1", post["ts"])) == 1


async def test_a_malformed_request_timestamp_is_refused_as_unsigned(slack: SlackWorld) -> None:
    """Issue 22, finding 12: 'abc' or '1e30' made Bolt answer 500 with a traceback."""
    _bot, url = await http_bot(slack)
    envelope = slack.emulator.message_event("C1", "U1", "hello")
    for stamp in ("abc", "1e30", "-5", "１２３"):
        status, _ = await slack.emulator.post_http(url, envelope, timestamp=stamp)
        assert status == 401, stamp
    status, _ = await slack.emulator.post_http(url, envelope)
    assert status == 200


async def test_http_form_errors_come_back_in_the_response(slack: SlackWorld) -> None:
    bot, url = await http_bot(slack)
    open_call(bot)
    post = await call_post(slack)
    emulator = slack.emulator
    click = emulator.block_actions("U1", "C1", post["ts"], "uccn_reply", "survey")
    status, _ = await emulator.post_http(url, click, kind="interactive")
    assert status == 200
    view_id = next(iter(emulator.views))
    wrong = emulator.view_submission("U1", view_id, state_values={"q1": {"answer": "lots"}})
    status, body = await emulator.post_http(url, wrong, kind="interactive")
    assert status == 200 and isinstance(body, dict)
    assert body["response_action"] == "errors" and "q1" in body["errors"]
    assert reply_of(slack) is None


async def test_a_socket_dropped_mid_stream_loses_no_reply(slack: SlackWorld) -> None:
    bot = await slack.start_bot()
    open_call(bot)
    post = await call_post(slack)
    emulator = slack.emulator
    await emulator.drop_socket()
    envelope = emulator.message_event("C1", "U1", "1. 7\n2. Fête", thread_ts=post["ts"])
    envelope_id = emulator.deliver("events_api", envelope)  # held until the bot reconnects
    await emulator.wait_acked(envelope_id, timeout=30)
    assert (await until(lambda: reply_of(slack))).answers == {"q1": 7.0, "q2": "Fête"}


async def test_a_broadcast_to_408_channels_survives_429s_and_a_crash(slack: SlackWorld) -> None:
    emulator = slack.emulator
    with slack.store.begin() as tx:
        cities = tx.cities.all()
        template = cities[0]
        for n in range(408 - len(cities)):
            extra = template.model_copy(update={"id": f"extra-{n}", "name": f"Extra {n}"})
            tx.cities.put(extra)
        cities = tx.cities.all()
    assert len(cities) == 408
    slack.channels = {city.id: f"CB{n:04d}" for n, city in enumerate(cities)}
    for channel in slack.channels.values():
        emulator.add_channel(channel, channel.lower())
    emulator.fail_next("chat.postMessage", 4, retry_after=1)  # a burst of 429s

    bot = await slack.start_bot(channel_rate=1.0, channel_burst=1)
    bot.lease = timedelta(seconds=1)
    connector: Any = bot.connectors["slack"]
    send, posted, dead = connector.send, [], asyncio.Event()

    async def crashing(
        message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        # A process killed at once records nothing more: nothing catches a cancellation.
        if dead.is_set():
            raise asyncio.CancelledError
        event_id = await send(message, key, retry=retry, since=since)
        posted.append(key)
        if len(posted) == 200:
            dead.set()  # posted, and the process dies before recording it
            raise asyncio.CancelledError
        return str(event_id)

    connector.send = crashing
    open_call(bot, audience=Audience(cities=[c.id for c in cities]), questions=QUESTIONS[:1])
    await until(dead.is_set, timeout=60)
    await slack.stop_bots()
    # The 429s' Retry-After was waited out, and the metrics say how long.
    assert connector.rate_limit_seconds > 0
    metrics = bot.metrics.render().decode()
    waited = re.search(
        r'^uccn_rate_limit_wait_seconds_total\{platform="slack"\} (\S+)$', metrics, re.M
    )
    assert waited and float(waited.group(1)) == connector.rate_limit_seconds

    await slack.start_bot(channel_rate=1.0, channel_burst=1)
    await until(lambda: all(slack.posts(c) for c in slack.channels.values()), timeout=120)
    doubled = [c for c in slack.channels.values() if len(slack.posts(c)) != 1]
    assert doubled == []
    assert emulator.rate_limited >= 4
    # The post the crash left unrecorded was found in the channel, not posted again.
    assert any(method == "conversations.history" for method, _ in emulator.calls)

    def recorded() -> bool:  # the last post is in the channel a moment before it is recorded
        with slack.store.begin() as tx:
            rows = tx.outbox.for_call("survey", "call")
        return len(rows) == 408 and all(r.state == "sent" for r in rows)

    await until(recorded, timeout=30)


def keyed(slack: SlackWorld, channel: str, key: str) -> list[dict[str, Any]]:
    """The bot's posts in `channel` (threads included) that carry outbox `key`."""
    return [
        m
        for m in slack.posts(channel)
        if ((m.get("metadata") or {}).get("event_payload") or {}).get("key") == key
    ]


def look_ups(slack: SlackWorld) -> list[str]:
    return [m for m, _ in slack.emulator.calls if m.startswith("conversations.")]


async def test_a_resend_after_a_crash_finds_its_post_in_a_long_thread(slack: SlackWorld) -> None:
    """Issue 22, finding 5: the check read the thread's oldest 200 messages, so in a longer
    thread the post a crash left unrecorded was posted again."""
    emulator = slack.emulator
    connector = slack.connector()
    earlier = time.time() - 3600  # a thread that grew over the hour before
    parent = f"{earlier - 1:.6f}"
    emulator.store_message("C1", {"type": "message", "user": "U1", "text": "Who?", "ts": parent})
    for n in range(250):
        reply = {"type": "message", "user": "U2", "text": f"reply {n}", "ts": f"{earlier + n:.6f}"}
        emulator.store_message("C1", {**reply, "thread_ts": parent})
    message = OutboundMessage(room="C1", text="Noted.", thread_root=event_id("C1", parent))
    tried = datetime.now(UTC)
    first = await connector.send(message, "ack:1")  # posted; the process dies unrecorded
    before = len(look_ups(slack))
    again = await connector.send(message, "ack:1", retry=True, since=tried)
    assert again == first and len(keyed(slack, "C1", "ack:1")) == 1
    assert len(look_ups(slack)) - before == 1  # one request: within Slack's history limit


async def test_a_resend_after_a_crash_finds_its_post_in_a_busy_channel(slack: SlackWorld) -> None:
    """Issue 22, finding 5: the check read the channel's newest 200 messages, so with more
    posted since, the post a crash left unrecorded was posted again."""
    emulator = slack.emulator
    connector = slack.connector()
    message = OutboundMessage(room="C1", text="The fair opens on Friday.")
    tried = datetime.now(UTC)
    first = await connector.send(message, "announce:1")  # posted; the process dies unrecorded
    later = time.time() + 3600  # the bot comes back an hour later, after 250 messages
    for n in range(250):
        emulator.store_message(
            "C1", {"type": "message", "user": "U1", "text": f"chat {n}", "ts": f"{later + n:.6f}"}
        )
    before = len(look_ups(slack))
    again = await connector.send(message, "announce:1", retry=True, since=tried)
    assert again == first and len(keyed(slack, "C1", "announce:1")) == 1
    assert len(look_ups(slack)) - before == 1
