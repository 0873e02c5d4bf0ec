"""The Slack connector, on slack-bolt's async app.

- Socket Mode (an app token) or the HTTP Events API (a signing secret; the bot's own
  aiohttp server hands each request to Bolt, whose signature check stays as it is).
- Every event is handled before Slack gets its acknowledgement (Bolt's
  `process_before_response`), so an event acknowledged is an event stored; a redelivered
  one (HTTP retries, Socket Mode redelivery) is recognised by the core and changes nothing.
- A call's post is a card with a reply button; the button opens a modal built from the
  call's questions while the click is acknowledged (Slack's trigger expires after 3 s);
  a modal with wrong answers shows them in the modal and stores nothing.
- Sends are paced per channel, 429s are retried after Slack's Retry-After by slack_sdk's
  retry handler, and each post carries its outbox key in Slack's message metadata: a send
  that may have been tried before looks for its key first, so a crash never doubles a post;
  it looks with one request around the last try (Slack allows apps outside its Marketplace
  about one history request a minute).
- Text is escaped (`&`, `<`, `>`): no mention or link from a user's words reaches a post.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from uccn_bot.slack import PLATFORM, blocks
from uccn_bot.slack.events import (
    author,
    emoji_name,
    event_id,
    is_reaction_slot,
    plain,
    split_id,
    to_event,
)
from uccn_bot.slack.files import attach
from uccn_bot.slack.pacing import Pacer
from uccn_bot.slack.settings import SlackSettings
from uccn_sdk.chat.connector import Connector, ConnectorState, Handler, Refused
from uccn_sdk.chat.events import (
    Deletion,
    Event,
    FormSubmission,
    Message,
    Outbound,
    OutboundMessage,
    Reaction,
    Sender,
)
from uccn_sdk.commands import COMMAND_PREFIX
from uccn_sdk.errors import UccnError

log = logging.getLogger("uccn.slack")

METADATA_TYPE = "uccn_post"
"""The event type of the metadata each post carries: its outbox key."""
LOOKBACK = 200
"""The most messages one look for an earlier post reads."""
TRY_SPAN = 300.0
"""The longest a try to post may take, rate-limit waits and slack_sdk's retries included."""
CLOCK_SKEW = 10.0
"""How far this machine's clock may be from Slack's (a server kept by NTP: well under this)."""
USER_CACHE_SECONDS = 600.0
MARGIN = 0.95
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
# Errors that sending again will not mend.
_FINAL = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "msg_too_long",
        "invalid_blocks",
        "invalid_blocks_format",
        "no_text",
        "not_in_channel",
        "restricted_action",
        "message_not_found",
        "thread_not_found",
        "invalid_arguments",
    }
)


class TimedRateLimitRetries(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's retries after a 429, counting the time spent waiting out Retry-After."""

    waited = 0.0

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        started = time.monotonic()
        try:
            await super().prepare_for_next_attempt_async(**kwargs)
        finally:
            self.waited += time.monotonic() - started


class SlackConnector(Connector):
    platform = PLATFORM

    def __init__(self, settings: SlackSettings, state: ConnectorState) -> None:
        self.settings, self.state = settings, state
        retries = settings.max_retries
        self._retry_after = TimedRateLimitRetries(max_retry_count=retries)
        self.client = AsyncWebClient(
            token=settings.bot_token,
            base_url=settings.api_url or AsyncWebClient.BASE_URL,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=retries),
                self._retry_after,
                AsyncServerErrorRetryHandler(max_retry_count=retries),
            ],
        )
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.signing_secret or "",
            process_before_response=True,
            logger=log,
        )
        self.pacer = Pacer(settings.channel_rate, settings.channel_burst)
        # A little under the workspace's limit: requests reach Slack with jitter, and a
        # 429 costs a whole second of Retry-After.
        self.workspace = (
            Pacer(settings.workspace_rate * MARGIN, max(1, settings.workspace_burst - 1))
            if settings.workspace_rate
            else None
        )
        self.bot_user: str | None = None
        self._handler: Handler | None = None
        self._stopped = asyncio.Event()
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._users: dict[str, tuple[float, str | None]] = {}
        self._register()

    # -- connecting ----------------------------------------------------------------------------

    @property
    def rate_limit_seconds(self) -> float:
        paced = self.pacer.waited + (self.workspace.waited if self.workspace else 0.0)
        return paced + self._retry_after.waited

    async def connect(self) -> None:
        # One HTTP session for every Web API call: slack_sdk opens one per call otherwise.
        if self.client.session is None:
            self.client.session = aiohttp.ClientSession()
        try:
            identity = await self.client.auth_test()
        except BaseException as error:
            await self.client.session.close()
            self.client.session = None
            if isinstance(error, SlackApiError):
                raise UccnError(
                    f"Slack refused the bot token: {error.response.get('error')}"
                ) from error
            if isinstance(error, aiohttp.ClientConnectionError | OSError | TimeoutError):
                raise self._unreachable(error) from error
            raise
        self.bot_user = identity.get("user_id")

    def _unreachable(self, error: Exception) -> UccnError:
        cause = getattr(error, "os_error", error)
        reason = getattr(cause, "strerror", None) or str(error) or type(error).__name__
        checks = "that its name resolves (DNS), and that the network (a proxy, a firewall) lets "
        checks += "this machine reach it"
        if self.settings.api_url:
            checks = f"api_url in [connectors.slack] of the configuration, {checks}"
        return UccnError(
            f"cannot reach Slack's Web API at {self.client.base_url} ({reason}): check {checks}"
        )

    async def listen(self, handler: Handler) -> None:
        self._handler = handler
        if self.settings.mode == "socket":
            self._socket = AsyncSocketModeHandler(
                self.app, self.settings.app_token, web_client=self.client
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
        else:
            await self._serve()
        await self._stopped.wait()

    async def _serve(self) -> None:
        async def events(request: web.Request) -> web.Response:
            # Bolt reads the timestamp as a number and fails with a 500 on one that is not:
            # a request that does not carry a plain one is refused as unsigned (401).
            stamp = request.headers.get("X-Slack-Request-Timestamp", "")
            if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
                return web.Response(status=401, text="invalid request timestamp")
            response = await self.app.async_dispatch(await to_bolt_request(request))
            return await to_aiohttp_response(response)

        server = web.Application(client_max_size=1024 * 1024)
        server.router.add_post(self.settings.path, events)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        log.info(
            "Slack events on http://%s:%s%s", self.settings.host, self.port, self.settings.path
        )

    @property
    def port(self) -> int:
        """The port the HTTP mode listens on (the one the system chose, for port 0)."""
        if self._runner is None:
            return self.settings.port
        from uccn_bot.http import bound_port

        return bound_port(self._runner, self.settings.port)

    async def disconnect(self) -> None:
        self._stopped.set()
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None

    # -- inbound -------------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.event("message")(self._on_event)
        app.event("reaction_added")(self._on_event)
        app.event("reaction_removed")(self._on_event)
        app.action(blocks.REPLY_ACTION)(self._on_reply_button)
        app.view(blocks.REPLY_ACTION)(self._on_form)
        app.command("/uccn")(self._on_command)

    async def _deliver(self, event: Event) -> None:
        if self._handler is None:
            raise UccnError("the Slack connector got an event before listen()")
        await self._handler(event)

    async def _sender(self, user: str) -> Sender:
        """The user as the core sees them, with Slack's confirmed e-mail when allowed."""
        if not self.settings.link_by_email:
            return Sender(PLATFORM, user)
        now = time.monotonic()
        cached = self._users.get(user)
        if cached is None or now - cached[0] > USER_CACHE_SECONDS:
            email = None
            try:
                info = await self.client.users_info(user=user)
                profile = info["user"]
                if profile.get("is_email_confirmed"):
                    email = (profile.get("profile") or {}).get("email")
            except SlackApiError as error:
                log.warning("users.info for %s failed: %s", user, error.response.get("error"))
            cached = self._users[user] = (now, email)
        return Sender(PLATFORM, user, email=cached[1])

    async def _on_event(self, body: dict[str, Any]) -> None:
        user = author(body)
        sender = await self._sender(user) if user else None
        event = to_event(body, sender, bot_user=self.bot_user)
        if event is None:
            return
        if isinstance(event, Reaction):
            slot = event.event_id.rpartition("@")[0]
            self.state.set(f"reaction:{slot}", event.event_id)
        elif isinstance(event, Deletion) and is_reaction_slot(event.target):
            # A removed reaction: withdraw the reaction event that filled its slot.
            given = self.state.get(f"reaction:{event.target}")
            if given is None:
                return
            event = replace(event, target=given)
        await self._deliver(event)

    async def _on_reply_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        channel = (body.get("channel") or body.get("container") or {}).get("id") or (
            body.get("container") or {}
        ).get("channel_id")
        ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get(
            "ts"
        )
        user = (body.get("user") or {}).get("id")
        if self.forms is None or not user or not channel or not ts:
            return
        form = self.forms.form(str(action.get("value", "")), await self._sender(user))
        try:
            await self.client.views_open(
                trigger_id=body["trigger_id"], view=blocks.modal(form, channel=channel, ts=ts)
            )
        except SlackApiError as error:
            log.warning("could not open the reply form: %s", error.response.get("error"))

    async def _on_form(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = (body.get("user") or {}).get("id")
        try:
            where = json.loads(view.get("private_metadata") or "{}")
            call, channel, ts = str(where["call"]), str(where["channel"]), str(where["ts"])
        except (ValueError, KeyError, TypeError):
            await ack()
            return
        answers = blocks.answers(view.get("state") or {})
        if self.forms is None or not user:
            await ack()
            return
        sender = await self._sender(user)
        problems = self.forms.check(call, sender, answers)
        if problems:
            shown = blocks.errors(problems, [b.get("block_id", "") for b in view.get("blocks", [])])
            await ack(response_action="errors", errors=shown)
            return
        await ack()
        await self._deliver(
            FormSubmission(
                platform=PLATFORM,
                room=channel,
                event_id=f"view/{view.get('id')}",
                sender=sender,
                call=call,
                answers=answers,
                thread_root=event_id(channel, ts),
            )
        )

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        user, channel = command.get("user_id"), command.get("channel_id")
        if not user or not channel:
            return
        await self._deliver(
            Message(
                platform=PLATFORM,
                room=channel,
                event_id=f"command/{command.get('trigger_id')}",
                sender=await self._sender(user),
                text=f"{COMMAND_PREFIX} {plain(str(command.get('text', '')))}",
                direct=str(channel).startswith("D"),
                private=True,
            )
        )

    # -- outbound ------------------------------------------------------------------------------

    @property
    def attachments(self) -> bool:
        return True

    async def send(
        self, message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        channel = message.room
        try:
            if not isinstance(message, OutboundMessage):
                _, ts = split_id(message.target)
                await self.pacer.wait(channel)
                try:
                    await self.client.reactions_add(
                        channel=channel, timestamp=ts, name=emoji_name(message.key)
                    )
                except SlackApiError as error:
                    if error.response.get("error") != "already_reacted":
                        raise
                return f"{message.target}/reaction/{emoji_name(message.key)}"
            thread_ts = split_id(message.thread_root)[1] if message.thread_root else None
            if message.only_for:
                return await self._whisper(message, message.only_for, thread_ts)
            if retry:
                found = await self._posted(channel, thread_ts, key, since)
                if found:
                    log.info("%s was posted before a restart; not posting it again", key)
                    if message.attachment:  # a crash may have come before its file
                        await attach(self.client, channel, found, message.attachment)
                    return event_id(channel, found)
            arguments: dict[str, Any] = {
                "channel": channel,
                # Mentions are the one markup the bot adds, after the text is escaped.
                "text": replace(message, text=blocks.escape(message.text)).with_mentions(_mention),
                "metadata": {"event_type": METADATA_TYPE, "event_payload": {"key": key}},
                "unfurl_links": False,
                "unfurl_media": False,
            }
            if thread_ts:
                arguments["thread_ts"] = thread_ts
            if message.card is not None:
                arguments["blocks"] = blocks.card_blocks(message.card)
                # The blocks show the post; the text is what a notification shows of it.
                arguments["text"] = blocks.cut(arguments["text"], blocks.TEXT_LIMIT)
            await self._pace(channel)
            response = await self.client.chat_postMessage(**arguments)
            posted = str(response.get("channel") or channel)
            if message.attachment:
                await attach(self.client, posted, str(response["ts"]), message.attachment)
            return event_id(posted, str(response["ts"]))
        except SlackApiError as error:
            code = str(error.response.get("error"))
            text = f"Slack refused a message to {channel}: {code}"
            if code in _FINAL:
                raise Refused(text) from error
            raise UccnError(text) from error

    async def _whisper(self, message: OutboundMessage, user: str, thread_ts: str | None) -> str:
        """Post `message` for `user` alone (an ephemeral message: Slack keeps no copy to look
        for, so one that a crash left unrecorded may be shown to that reader twice). An
        ephemeral message carries no file: with one, its fallback is said."""
        message = message.without_attachment()
        arguments: dict[str, Any] = {
            "channel": message.room,
            "user": user,
            "text": blocks.escape(message.text),
        }
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        await self._pace(message.room)
        response = await self.client.chat_postEphemeral(**arguments)
        return f"{message.room}/ephemeral/{response['message_ts']}"

    async def _pace(self, channel: str) -> None:
        """Wait for the channel's turn, and the workspace's when its limit is set."""
        await self.pacer.wait(channel)
        if self.workspace is not None:
            await self.workspace.wait("")

    async def _posted(
        self, channel: str, thread_ts: str | None, key: str, since: datetime | None
    ) -> str | None:
        """The ts of a post in `channel` (or its thread) that carries outbox `key`.

        One request, where the post can be: from a little before the last try began to when
        that try had to be over (every try looked for the one before it). Slack allows apps
        outside its Marketplace about one history request a minute, so this never pages.
        """
        window: dict[str, Any] = {}
        if since is not None:
            start = since.timestamp()
            window = {
                "oldest": f"{start - CLOCK_SKEW:.6f}",
                "latest": f"{start + TRY_SPAN + CLOCK_SKEW:.6f}",
                "inclusive": True,
            }
        if thread_ts:
            response = await self.client.conversations_replies(
                channel=channel,
                ts=thread_ts,
                limit=LOOKBACK,
                include_all_metadata=True,
                **window,
            )
        else:
            response = await self.client.conversations_history(
                channel=channel, limit=LOOKBACK, include_all_metadata=True, **window
            )
        for posted in response.get("messages") or []:
            metadata = posted.get("metadata") or {}
            if (
                metadata.get("event_type") == METADATA_TYPE
                and (metadata.get("event_payload") or {}).get("key") == key
            ):
                return str(posted["ts"])
        return None


def _mention(user: str) -> str:
    """A Slack mention of a user id; anything else is shown as plain text."""
    return f"<@{user}>" if _USER_ID.fullmatch(user) else blocks.escape(user)
