"""A loopback Slack: Web API, Socket Mode and signed Events API posts, checked against the specs."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from .methods import WebMethods
from .payloads import PayloadBuilders
from .spec import check_call
from .state import SlackError

POSTING = {"chat.postMessage", "chat.update", "chat.postEphemeral"}
MAX_RETRIES = 3
EnvelopeType = Literal["events_api", "interactive", "slash_commands"]


SCOPES = (
    "channels:history", "channels:read", "chat:write", "commands", "groups:history",
    "groups:read", "im:history", "reactions:write", "users:read", "users:read.email",
)  # fmt: skip


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = float(burst), time.monotonic()

    def wait(self) -> float:
        """Seconds until a token is there (0 if one is)."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class Pending:
    """An envelope not acked yet: when it was last sent, and whether to send it again now."""

    envelope: dict[str, Any]
    sent_at: float | None = None
    resend: bool = False


class SlackEmulator(WebMethods, PayloadBuilders):
    """Slack on 127.0.0.1: give `api_url` to AsyncWebClient(base_url=...)."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        app_token: str = "xapp-test",
        team_id: str = "T0UCCN",
        bot_user_id: str = "UBOT",
        app_id: str = "A0UCCN",
        channel_rate: float = 1.0,
        channel_burst: int = 3,
        workspace_rate: float | None = None,
        workspace_burst: int = 10,
        redeliver_after: float = 1.0,
        signing_secret: str = "test-signing-secret",
    ) -> None:
        super().__init__(
            bot_token=bot_token,
            app_token=app_token,
            team_id=team_id,
            bot_user_id=bot_user_id,
            app_id=app_id,
        )
        self.channel_rate, self.channel_burst = channel_rate, channel_burst
        self.workspace_rate, self.workspace_burst = workspace_rate, workspace_burst
        self.redeliver_after = redeliver_after
        self.signing_secret = signing_secret
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.violations: list[str] = []
        self.rate_limited = 0
        self.scopes = set(SCOPES)
        """The bot token's scopes, as Slack lists them on each answer."""
        self.envelopes: dict[str, dict[str, Any]] = {}  # envelope_id -> as last sent
        self.acks: dict[str, dict[str, Any] | None] = {}  # envelope_id -> ack payload
        self.ack_times: dict[str, float] = {}  # envelope_id -> time.monotonic() of the ack
        self.sent_times: dict[str, float] = {}  # envelope_id -> time.monotonic() first sent
        self.given_up: list[str] = []  # envelope ids never acked after MAX_RETRIES
        self.connections = 0  # Socket Mode connections accepted so far
        self.port = 0
        self._buckets: dict[str, TokenBucket] = {}
        self._workspace_bucket: TokenBucket | None = None
        self._forced: dict[str, list[int]] = {}  # method -> Retry-After of the next 429s
        self._tickets: set[str] = set()
        self._sockets: list[tuple[web.WebSocketResponse, web.Request]] = []
        self._pending: dict[str, Pending] = {}
        self._wake = asyncio.Event()
        self._pump_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_postMessage,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.postEphemeral": self.chat_postEphemeral,
            "reactions.add": self.reactions_add,
            "views.open": self.views_open,
            "views.update": self.views_update,
            "users.info": self.users_info,
            "conversations.info": self.conversations_info,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "apps.connections.open": self.apps_connections_open,
            "files.getUploadURLExternal": self.files_getUploadURLExternal,
            "files.completeUploadExternal": self.files_completeUploadExternal,
        }

    # Lifecycle

    @property
    def api_url(self) -> str:
        """Base URL for AsyncWebClient; ends with "/api/"."""
        return f"{self.base_url}api/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._web_api)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/response/{team}/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{self.port}/"
        if self.workspace_rate is not None:
            self._workspace_bucket = TokenBucket(self.workspace_rate, self.workspace_burst)
        self._pump_task = asyncio.create_task(self._pump())

    async def stop(self) -> None:
        if self._pump_task is not None:
            self._pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump_task
        for ws, _ in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # Web API

    def fail_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429, whatever the buckets say."""
        self._forced.setdefault(method, []).extend([retry_after] * times)

    async def _arguments(self, request: web.Request) -> tuple[dict[str, Any], str | None]:
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise SlackError(
                        "invalid_json", "the JSON body is not an object", violation=True
                    )
                args.update(body)
            else:
                args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        token = args.pop("token", None)
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = header.removeprefix("Bearer ")
        return args, token

    def _answer(self, method: str, error: SlackError) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error": error.error}
        if error.violation:
            self.violations.append(f"{method}: {error.message}")
            body["response_metadata"] = {"messages": [error.message]}
        return web.json_response(body)

    def _too_fast(self, method: str, args: dict[str, Any]) -> int | None:
        """Retry-After seconds if this call must be refused with 429, else None (token taken)."""
        forced = self._forced.get(method)
        if forced:
            return forced.pop(0)
        if method not in POSTING:
            return None
        channel = str(args.get("channel", ""))
        bucket = self._buckets.setdefault(
            channel, TokenBucket(self.channel_rate, self.channel_burst)
        )
        buckets = [bucket] if self._workspace_bucket is None else [bucket, self._workspace_bucket]
        wait = max(b.wait() for b in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for b in buckets:
            b.take()
        return None

    async def _web_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            args, token = await self._arguments(request)
        except SlackError as error:
            return self._answer(method, error)
        self.calls.append((method, args))
        handler = self._handlers.get(method)
        if handler is None:
            return self._answer(
                method,
                SlackError("unknown_method", "not a method the emulator knows", violation=True),
            )
        wanted = self.app_token if method == "apps.connections.open" else self.bot_token
        if token != wanted:
            known = token in (self.app_token, self.bot_token)
            return self._answer(
                method, SlackError("not_allowed_token_type" if known else "invalid_auth")
            )
        problems = check_call(method, args)
        if problems:
            self.violations.extend(problems)
            body = {"ok": False, "error": "invalid_arguments"}
            return web.json_response({**body, "response_metadata": {"messages": problems}})
        retry_after = self._too_fast(method, args)
        if retry_after is not None:
            self.rate_limited += 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        try:
            # Slack says which scopes the token has on every answer.
            scopes = {"x-oauth-scopes": ",".join(sorted(self.scopes))}
            return web.json_response({"ok": True, **handler(args)}, headers=scopes)
        except SlackError as error:
            return self._answer(method, error)

    async def _upload(self, request: web.Request) -> web.Response:
        """A file's bytes, posted to the URL files.getUploadURLExternal gave."""
        found = self.files.get(request.match_info["file_id"])
        if found is None:
            return web.Response(status=404, text="unknown upload URL")
        found["data"] = await request.read()
        return web.Response(text=f"OK - {len(found['data'])}")

    async def _response_url(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            self.violations.append(f"response_url: body is not JSON: {await request.text()!r}")
            return web.json_response({"ok": False, "error": "invalid_payload"}, status=400)
        self.responses.append({"url": str(request.url), "body": body})
        return web.json_response({"ok": True})

    # Socket Mode

    def apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        return {"url": f"ws://127.0.0.1:{self.port}/socket?ticket={ticket}&app_id={self.app_id}"}

    def deliver(
        self,
        envelope_type: EnvelopeType,
        payload: dict[str, Any],
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Queue an envelope for the Socket Mode client; returns its envelope_id."""
        if accepts_response_payload is None:
            accepts_response_payload = envelope_type == "slash_commands" or payload.get("type") in (
                "view_submission",
                "block_suggestion",
            )
        envelope_id = str(uuid.uuid4())
        self._pending[envelope_id] = Pending(
            {
                "envelope_id": envelope_id,
                "type": envelope_type,
                "payload": payload,
                "accepts_response_payload": accepts_response_payload,
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        self._wake.set()
        return envelope_id

    async def wait_connected(self, count: int = 1, timeout: float = 5) -> None:
        """Wait until `count` connections were accepted in all and one is open."""
        async with asyncio.timeout(timeout):
            while self.connections < count or self._live() is None:
                await asyncio.sleep(0.02)

    async def wait_acked(self, envelope_id: str, timeout: float = 5) -> dict[str, Any] | None:
        """Wait for the ack of `envelope_id`; returns its payload (None if it had none)."""
        try:
            async with asyncio.timeout(timeout):
                while envelope_id not in self.acks:
                    await asyncio.sleep(0.02)
        except TimeoutError:
            raise AssertionError(f"envelope {envelope_id} not acked within {timeout}s") from None
        return self.acks[envelope_id]

    def ack_of(self, envelope_id: str) -> dict[str, Any] | None:
        """The payload the app acked `envelope_id` with; AssertionError if not acked."""
        if envelope_id not in self.acks:
            raise AssertionError(f"envelope {envelope_id} was not acked")
        return self.acks[envelope_id]

    async def drop_socket(self) -> None:
        """Cut the open Socket Mode connections without a close handshake."""
        for ws, request in list(self._sockets):
            if request.transport is not None:
                request.transport.abort()
            else:
                await ws.close()
        self._sockets.clear()

    async def request_refresh(self, reason: str = "refresh_requested") -> None:
        """Send Slack's `disconnect` message: the client should reconnect by itself."""
        live = self._live()
        if live is not None:
            message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "emulator"}}
            await live.send_str(json.dumps(message))

    def _live(self) -> web.WebSocketResponse | None:
        open_sockets = [ws for ws, _ in self._sockets if not ws.closed]
        return open_sockets[-1] if open_sockets else None

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("ticket") not in self._tickets:
            return web.Response(status=401, text="invalid ticket")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.connections += 1
        hello = {
            "type": "hello",
            "num_connections": len(self._sockets) + 1,
            "debug_info": {
                "host": "applink-emulator",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
        await ws.send_str(json.dumps(hello))
        for pending in self._pending.values():
            pending.resend = pending.sent_at is not None
        self._sockets.append((ws, request))
        self._wake.set()
        try:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    self._received(message.data)
        finally:
            with contextlib.suppress(ValueError):
                self._sockets.remove((ws, request))
        return ws

    def _received(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            self.violations.append(f"socket: not JSON: {data!r}")
            return
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        if envelope_id not in self.envelopes:
            self.violations.append(f"socket: ack of an unknown envelope: {data!r}")
            return
        self.acks.setdefault(envelope_id, message.get("payload"))
        self.ack_times.setdefault(envelope_id, time.monotonic())
        self._pending.pop(envelope_id, None)

    async def _pump(self) -> None:
        """Send queued envelopes, and send un-acked ones again."""
        tick = min(0.1, self.redeliver_after / 4)
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(tick):
                    await self._wake.wait()
            self._wake.clear()
            now = time.monotonic()
            for envelope_id, pending in list(self._pending.items()):
                due = pending.resend or (
                    pending.sent_at is not None and now - pending.sent_at >= self.redeliver_after
                )
                if due and pending.envelope["retry_attempt"] >= MAX_RETRIES:
                    self.given_up.append(envelope_id)
                    del self._pending[envelope_id]
                    continue
                live = self._live()
                if live is None or not (due or pending.sent_at is None):
                    continue
                if due:
                    pending.envelope["retry_attempt"] += 1
                    pending.envelope["retry_reason"] = "timeout"
                with contextlib.suppress(ConnectionError, RuntimeError):
                    self.envelopes[envelope_id] = dict(pending.envelope)
                    pending.sent_at, pending.resend = now, False
                    self.sent_times.setdefault(envelope_id, now)
                    await live.send_str(json.dumps(pending.envelope))

    # Events API over HTTP

    async def post_http(
        self,
        url: str,
        body: dict[str, Any] | str,
        *,
        kind: Literal["json", "form", "interactive"] = "json",
        signing_secret: str | None = None,
        timestamp: int | str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        bad_signature: bool = False,
    ) -> tuple[int, dict[str, Any] | str]:
        """POST to the app signed as Slack does; "interactive" sends form field payload=<json>."""
        if isinstance(body, str):
            raw = body
        elif kind == "json":
            raw = json.dumps(body)
        elif kind == "interactive":
            raw = urlencode({"payload": json.dumps(body)})
        else:
            raw = urlencode(body)
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        secret = (signing_secret or self.signing_secret).encode()
        digest = hmac.new(secret, f"v0:{stamp}:{raw}".encode(), hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": (
                "application/json" if kind == "json" else "application/x-www-form-urlencoded"
            ),
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": "v0=" + ("0" * 64 if bad_signature else digest),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
        if retry_reason is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=raw.encode(), headers=headers) as response,
        ):
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text
