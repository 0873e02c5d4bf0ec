"""The Slack emulator against the real slack_sdk clients."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import pytest
import pytest_asyncio
from aiohttp import web
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from .emulator import SlackEmulator
from .spec import SpecError, check_call
from .state import TRIGGER_TTL

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def client(emulator: SlackEmulator) -> AsyncIterator[AsyncWebClient]:
    web_client = AsyncWebClient(token=emulator.bot_token, base_url=emulator.api_url)
    yield web_client
    if web_client.session is not None:
        await web_client.session.close()


async def test_auth_test(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    answer = await client.auth_test()
    assert answer["user_id"] == "UBOT" and answer["team_id"] == "T0UCCN"
    assert answer["app_id"] == "A0UCCN" and answer["bot_id"]


async def test_wrong_token_is_invalid_auth(emulator: SlackEmulator) -> None:
    stranger = AsyncWebClient(token="xoxb-nope", base_url=emulator.api_url)
    with pytest.raises(SlackApiError) as raised:
        await stranger.auth_test()
    assert raised.value.response["error"] == "invalid_auth"


async def test_post_message_is_stored_and_listed(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    metadata = {"event_type": "uccn_call", "event_payload": {"call": "c1"}}
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Hi*"}}]
    first = await client.chat_postMessage(channel="C1", text="Hi", blocks=blocks, metadata=metadata)
    second = await client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert emulator.messages["C1"][0]["blocks"] == blocks
    history = await client.conversations_history(channel="C1", include_all_metadata=True)
    assert [m["text"] for m in history["messages"]] == ["Hi"]  # replies stay in the thread
    assert history["messages"][0]["metadata"] == metadata and history["messages"][0]["reply_count"]
    plain = await client.conversations_history(channel="C1", limit=10)
    assert "metadata" not in plain["messages"][0]
    replies = await client.conversations_replies(channel="C1", ts=first["ts"])
    assert [m["text"] for m in replies["messages"]] == ["Hi", "again"]
    await client.chat_update(channel="C1", ts=first["ts"], text="Hello")
    await client.reactions_add(channel="C1", timestamp=first["ts"], name="wave")
    with pytest.raises(SlackApiError, match="already_reacted"):
        await client.reactions_add(channel="C1", timestamp=first["ts"], name="wave")
    await client.chat_delete(channel="C1", ts=second["ts"])
    assert [m["text"] for m in emulator.messages["C1"]] == ["Hello"]
    assert (await client.users_info(user="U1"))["user"]["profile"]["email"] == "ada@example.org"


async def test_missing_argument_is_a_violation(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client.api_call("chat.postMessage", json={"text": "no channel"})
    assert raised.value.response["error"] == "invalid_arguments"
    assert emulator.violations == ["chat.postMessage: missing required parameter 'channel'"]
    with pytest.raises(SlackApiError, match="unknown_method"):
        await client.api_call("chat.fly", json={})
    assert len(emulator.violations) == 2
    emulator.violations.clear()


async def test_spec_types() -> None:
    assert check_call("conversations.history", {"channel": "C1", "limit": "12"}) == []
    assert check_call("conversations.history", {"channel": "C1", "limit": "many"})
    assert check_call("chat.postMessage", {"channel": "C1", "mrkdwn": "true"}) == []
    assert check_call("chat.postMessage", {"channel": "C1", "blocks": [{"type": "divider"}]}) == []
    assert check_call("chat.postMessage", {"channel": {"id": "C1"}})
    assert check_call("chat.postMessage", {"channel": "C1", "colour": "red"})


async def test_rate_limit_after_the_burst(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    for i in range(emulator.channel_burst):
        await client.chat_postMessage(channel="C1", text=f"m{i}")
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="one too many")
    assert raised.value.response.status_code == 429
    assert int(raised.value.response.headers["Retry-After"]) >= 1
    assert emulator.rate_limited == 1 and len(emulator.messages["C1"]) == emulator.channel_burst
    emulator.add_channel("C2", "other")
    await client.chat_postMessage(channel="C2", text="another channel has its own bucket")


async def test_fail_next(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    emulator.fail_next("chat.update", times=2, retry_after=7)
    posted = await client.chat_postMessage(channel="C1", text="x")
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            await client.chat_update(channel="C1", ts=posted["ts"], text="y")
        assert raised.value.response.headers["Retry-After"] == "7"
    await client.chat_update(channel="C1", ts=posted["ts"], text="y")
    assert emulator.rate_limited == 2 and emulator.messages["C1"][0]["text"] == "y"


MODAL = {
    "type": "modal",
    "callback_id": "profile",
    "title": {"type": "plain_text", "text": "Profile"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "city",
            "label": {"type": "plain_text", "text": "City"},
            "element": {"type": "plain_text_input", "action_id": "name"},
        }
    ],
}


async def test_views_open_needs_a_fresh_trigger(
    client: AsyncWebClient, emulator: SlackEmulator
) -> None:
    with pytest.raises(SlackApiError, match="expired_trigger_id"):
        await client.views_open(trigger_id="123.456.unknown", view=MODAL)
    old = emulator.slash_command("U1", "C1")["trigger_id"]
    issued, user = emulator.triggers[old]
    emulator.triggers[old] = (issued - TRIGGER_TTL - 0.1, user)
    with pytest.raises(SlackApiError, match="expired_trigger_id"):
        await client.views_open(trigger_id=old, view=MODAL)
    fresh = emulator.block_actions("U1", "C1", "1.0", "edit", "x")["trigger_id"]
    opened = await client.api_call(  # form-encoded, the view as a JSON string
        "views.open", data={"trigger_id": fresh, "view": json.dumps(MODAL)}
    )
    view_id = opened["view"]["id"]
    assert view_id.startswith("V") and emulator.views[view_id]["user"] == "U1"
    with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
        await client.views_open(trigger_id=fresh, view=MODAL)
    submitted = emulator.view_submission("U1", view_id, state_values={"city": {"name": "Lyon"}})
    assert submitted["view"]["state"]["values"]["city"]["name"]["value"] == "Lyon"
    assert submitted["view"]["callback_id"] == "profile"


async def test_invalid_view_is_a_violation(client: AsyncWebClient, emulator: SlackEmulator) -> None:
    trigger = emulator.slash_command("U1", "C1")["trigger_id"]
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        await client.views_open(trigger_id=trigger, view={**MODAL, "submit": None, "title": None})
    assert any("no title" in v for v in emulator.violations)
    emulator.violations.clear()


async def test_events_validate_against_the_schemas(emulator: SlackEmulator) -> None:
    envelope = emulator.message_event("C1", "U1", "hello")
    ts = envelope["event"]["ts"]
    assert envelope["event_id"].startswith("Ev") and envelope["event"]["channel_type"] == "channel"
    assert emulator.reaction_added("C1", ts, "U1", "tada")["event"]["item"]["ts"] == ts
    assert (
        emulator.message_changed("C1", ts, "hello!", "U1")["event"]["message"]["text"] == "hello!"
    )
    assert emulator.message_deleted("C1", ts)["event"]["deleted_ts"] == ts
    with pytest.raises(SpecError):
        emulator.event_callback({"type": "message", "event_ts": 1700000000})  # not a string
    with pytest.raises(SpecError):
        emulator.event_callback({"type": "message", "ts": "1.2", "channel": 12})


async def socket_client(
    emulator: SlackEmulator, received: list[SocketModeRequest], *, ack: bool
) -> SocketModeClient:
    """A slack_sdk Socket Mode client that records requests, and acks them if `ack`."""
    web_client = AsyncWebClient(base_url=emulator.api_url)
    socket = SocketModeClient(app_token=emulator.app_token, web_client=web_client, ping_interval=1)

    async def listener(client: Any, request: SocketModeRequest) -> None:
        received.append(request)
        if ack:
            payload = {"text": "ok"} if request.accepts_response_payload else None
            response = SocketModeResponse(envelope_id=request.envelope_id, payload=payload)
            await client.send_socket_mode_response(response)

    socket.socket_mode_request_listeners.append(listener)
    await socket.connect()  # type: ignore[no-untyped-call]
    return socket


async def until(check: Any, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_socket_mode_delivers_and_records_acks(emulator: SlackEmulator) -> None:
    received: list[SocketModeRequest] = []
    queued = emulator.deliver("events_api", emulator.message_event("C1", "U1", "before connect"))
    socket = await socket_client(emulator, received, ack=True)
    try:
        assert await emulator.wait_acked(queued) is None
        command = emulator.deliver(
            "slash_commands", emulator.slash_command("U1", "C1", text="help")
        )
        assert await emulator.wait_acked(command) == {"text": "ok"}
        assert [r.type for r in received] == ["events_api", "slash_commands"]
        assert received[0].payload["event"]["text"] == "before connect"
        assert received[0].retry_attempt == 0 and emulator.ack_of(command) == {"text": "ok"}
    finally:
        await socket.close()  # type: ignore[no-untyped-call]


async def test_socket_mode_redelivers_unacked(emulator: SlackEmulator) -> None:
    emulator.redeliver_after = 0.3
    received: list[SocketModeRequest] = []
    socket = await socket_client(emulator, received, ack=False)
    try:
        envelope_id = emulator.deliver("events_api", emulator.message_event("C1", "U1", "hi"))
        await until(lambda: len(received) >= 2)
        assert [r.retry_attempt for r in received[:2]] == [0, 1]
        assert received[1].retry_reason == "timeout" and received[1].envelope_id == envelope_id
        await until(lambda: envelope_id in emulator.given_up)
        assert [r.retry_attempt for r in received] == [0, 1, 2, 3]
    finally:
        await socket.close()  # type: ignore[no-untyped-call]


async def test_socket_mode_reconnects_and_gets_unacked(emulator: SlackEmulator) -> None:
    emulator.redeliver_after = 30
    received: list[SocketModeRequest] = []
    socket = await socket_client(emulator, received, ack=False)
    try:
        envelope_id = emulator.deliver(
            "interactive", emulator.block_actions("U1", "C1", "1", "a", "v")
        )
        await until(lambda: len(received) == 1)
        await emulator.drop_socket()
        await emulator.wait_connected(count=2, timeout=10)
        await until(lambda: len(received) == 2)
        assert received[1].envelope_id == envelope_id and received[1].retry_attempt == 1
    finally:
        await socket.close()  # type: ignore[no-untyped-call]


async def test_post_http_is_signed_like_slack(emulator: SlackEmulator) -> None:
    seen: list[tuple[bytes, dict[str, str]]] = []

    async def endpoint(request: web.Request) -> web.Response:
        seen.append((await request.read(), dict(request.headers)))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/slack/events", endpoint)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    verifier = SignatureVerifier(emulator.signing_secret)
    try:
        status, body = await emulator.post_http(url, emulator.message_event("C1", "U1", "hi"))
        assert status == 200 and body == {"ok": True}
        await emulator.post_http(
            url, emulator.block_actions("U1", "C1", "1", "a", "v"), kind="interactive", retry_num=1
        )
        await emulator.post_http(url, emulator.slash_command("U1", "C1"), kind="form")
        await emulator.post_http(url, {"x": 1}, bad_signature=True)
    finally:
        await runner.cleanup()
    checks = [verifier.is_valid_request(raw, headers) for raw, headers in seen]
    assert checks == [True, True, True, False]
    assert json.loads(parse_qs(seen[1][0].decode())["payload"][0])["type"] == "block_actions"
    assert seen[1][1]["X-Slack-Retry-Num"] == "1"
    assert parse_qs(seen[2][0].decode())["command"] == ["/uccn"]


async def test_response_url_is_recorded(emulator: SlackEmulator) -> None:
    from slack_sdk.webhook.async_client import AsyncWebhookClient

    url = emulator.slash_command("U1", "C1")["response_url"]
    response = await AsyncWebhookClient(url).send(text="done", response_type="ephemeral")
    assert response.status_code == 200
    assert emulator.responses[0]["body"]["text"] == "done"


def bolt_app(emulator: SlackEmulator) -> Any:
    """A slack_bolt app echoing messages in their thread and opening a modal on /uccn."""
    from slack_bolt.async_app import AsyncApp

    client = AsyncWebClient(token=emulator.bot_token, base_url=emulator.api_url)
    app = AsyncApp(client=client, signing_secret=emulator.signing_secret)

    @app.event("message")
    async def echo(event: dict[str, Any], say: Any) -> None:
        await say(text=f"echo {event['text']}", thread_ts=event["ts"])

    @app.command("/uccn")
    async def command(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack("working")
        await client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    return app


async def test_bolt_app_over_socket_mode(emulator: SlackEmulator) -> None:
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(bolt_app(emulator), emulator.app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    try:
        message = emulator.deliver("events_api", emulator.message_event("C1", "U1", "hello"))
        command = emulator.deliver("slash_commands", emulator.slash_command("U1", "C1"))
        assert await emulator.wait_acked(message) is None
        assert await emulator.wait_acked(command) == {"text": "working"}
        await until(lambda: len(emulator.messages["C1"]) == 2 and emulator.views)
        assert emulator.messages["C1"][1]["text"] == "echo hello"
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def test_bolt_app_over_http(emulator: SlackEmulator) -> None:
    runner = web.AppRunner(bolt_app(emulator).web_app(path="/slack/events"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    try:
        assert await emulator.post_http(url, emulator.url_verification("c")) == (
            200,
            {"challenge": "c"},
        )
        status, _ = await emulator.post_http(url, emulator.message_event("C1", "U1", "hi"))
        assert status == 200
        assert (await emulator.post_http(url, {"x": 1}, bad_signature=True))[0] == 401
        status, body = await emulator.post_http(
            url, emulator.slash_command("U1", "C1"), kind="form"
        )
        assert (status, body) == (200, "working")
        await until(lambda: len(emulator.messages["C1"]) == 2 and emulator.views)
    finally:
        await runner.cleanup()
