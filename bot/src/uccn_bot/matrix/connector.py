"""The Matrix connector.

- Logs in with a password or a token, always as the same device, so transaction ids keep
  deduplicating sends across restarts.
- Saves the sync token only after every event of a batch was handled; after a restart, a
  limited timeline is backfilled from the last saved token, so no reply is dropped.
- Acts on nothing said in a room before the bot came into it: on a fresh store (a new
  deployment, a move to PostgreSQL) the rooms' past is read, not run again; a room joined
  later brings no old command back.
- Sends with a transaction id derived from the outbox key, and retries M_LIMIT_EXCEEDED
  after the delay the server asks for, a bounded number of times.
- Posts notices, which notify nobody, except a message that mentions someone: that is text,
  so the mention notifies. `m.mentions` always names whom a post mentions, so a name or
  "@room" in its text never pings anyone.
- Ignores its own events; accepts invites only from the servers or users it is told to.
- Reads and sends end-to-end encrypted messages where a room is encrypted (uccn_bot.matrix.
  crypto); a message it has no key for reaches the runtime as `Unreadable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    KeysUploadError,
    MessageDirection,
    RoomMessagesError,
    RoomSendError,
    SyncError,
    SyncResponse,
)

from uccn_bot.matrix import PLATFORM
from uccn_bot.matrix.crypto import (
    exchange_keys,
    key_store,
    key_store_lock,
    send_encrypted_reaction,
)
from uccn_bot.matrix.events import to_event
from uccn_bot.matrix.files import file_content
from uccn_bot.matrix.joining import DIRECT_PREFIX, Joins
from uccn_bot.matrix.login import EXPIRED, Login
from uccn_bot.matrix.polls import END, START, poll_end, poll_start
from uccn_bot.matrix.signing import Identity, cross_sign
from uccn_sdk.chat.connector import Connector, ConnectorState, Handler, Refused
from uccn_sdk.chat.events import Outbound, OutboundMessage
from uccn_sdk.errors import UccnError
from uccn_sdk.runtime.leader import FileLock

log = logging.getLogger("uccn.matrix")

SYNC_TOKEN = "sync_token"
DIRECT_ACCOUNT_DATA = "m.direct"
MAX_SEND_ATTEMPTS = 5
MAX_BACKFILL_PAGES = 50
POLL_PREFIX = "poll:"
"""The calls' posts sent as polls, by event id."""
FIRST_SYNC_SECONDS = 30.0
"""How long a send waits for the first sync after a start (it tells which rooms encrypt)."""


@dataclass
class MatrixSettings:
    homeserver: str
    user_id: str
    password: str | None = None
    access_token: str | None = None
    device_id: str = "UCCNBOT"
    allowed_inviters: list[str] = field(default_factory=list)
    """Users (@a:b) or servers (b) whose invites the bot accepts."""
    timeline_limit: int = 50
    sync_timeout_ms: int = 30_000
    retry_seconds: float = 2.0
    encryption: bool = True
    """Read and send end-to-end encrypted messages in the rooms that use encryption."""
    store_path: str | None = None
    """The folder of the encryption keys (see uccn_bot.matrix.crypto); keep it safe and
    keep it: a bot that loses it cannot read what was encrypted for it."""
    polls: bool = True
    """Post a call whose one question is a choice as a poll (MSC3381), which Element shows."""
    recovery_key: str | None = None
    """The account's cross-signing recovery key (`uccn bot keys` shows it), for a bot that
    starts on a new machine or device: it takes its cross-signing identity back."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MatrixSettings:
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(config) - known)
        if unknown:
            raise UccnError(f"unknown Matrix settings: {', '.join(unknown)}")
        for required in ("homeserver", "user_id"):
            if not config.get(required):
                raise UccnError(f"the Matrix connector needs {required!r} in [connectors.matrix]")
        if not config.get("password") and not config.get("access_token"):
            raise UccnError("the Matrix connector needs a password or an access_token")
        if config.get("recovery_key"):
            Identity.from_recovery_key(str(config["recovery_key"]))  # a typo is said at once
        return cls(**dict(config))


class MatrixConnector(Connector):
    platform = PLATFORM

    def __init__(self, settings: MatrixSettings, state: ConnectorState) -> None:
        self.settings, self.state = settings, state
        self.keys = key_store(settings.store_path) if settings.encryption else None
        """The folder of the encryption keys; None when encryption is off."""
        self.client = AsyncClient(
            settings.homeserver,
            settings.user_id,
            device_id=settings.device_id,
            store_path=str(self.keys) if self.keys else "",
            # nio would retry a 429 forever; send() retries it itself, a bounded number of times.
            config=AsyncClientConfig(
                store_sync_tokens=False,
                encryption_enabled=settings.encryption,
                max_limit_exceeded=0,
            ),
        )
        self.joins = Joins(self.client, state, self._allowed)
        self.login = Login(self.client, settings.user_id, settings.device_id, settings.password)
        self.identity: Identity | None = None
        """The account's cross-signing keys, once the device is signed with them."""
        self.keys_lock: FileLock | None = None
        """Held while connected with encryption: the keys are this process's alone."""
        self._stopped = asyncio.Event()
        self._synced = asyncio.Event()
        self.rate_limited = 0
        """How many sends the homeserver rate-limited (each was retried)."""
        self._waited = 0.0

    @property
    def rate_limit_seconds(self) -> float:
        return self._waited

    @property
    def exclusive(self) -> bool:
        return self.keys is not None  # one device's keys, in one process

    async def connect(self) -> None:
        settings = self.settings
        if self.keys is not None:
            self.keys_lock = key_store_lock(self.keys, settings.user_id, settings.device_id)
            if not self.keys_lock.try_acquire():
                self.keys_lock = None
                raise UccnError(
                    f"the Matrix encryption keys in {self.keys} are in use by another process: "
                    "run the Matrix connector in one process (with --workers, the first "
                    "worker runs it), or give the other a store_path and device_id of its own"
                )
        try:
            await self._log_in()
        except BaseException as error:  # a connect tried again must find the keys free
            with contextlib.suppress(Exception):
                await self.client.close()
            if self.keys_lock is not None:
                self.keys_lock.release()
                self.keys_lock = None
            if isinstance(error, aiohttp.ClientConnectionError | OSError | TimeoutError):
                raise self._unreachable(error) from error
            raise

    def _unreachable(self, error: Exception) -> UccnError:
        cause = getattr(error, "os_error", error)
        reason = getattr(cause, "strerror", None) or str(error) or type(error).__name__
        return UccnError(
            f"cannot reach the homeserver {self.settings.homeserver} ({reason}): check "
            "homeserver in [connectors.matrix] of the configuration, that its name resolves "
            "(DNS), and that the network lets this machine reach it"
        )

    async def _log_in(self) -> None:
        settings = self.settings
        if settings.access_token:
            self.client.restore_login(settings.user_id, settings.device_id, settings.access_token)
        else:
            await self.login.log_in()
        if self.client.olm is not None and self.client.should_upload_keys:
            uploaded = await self.client.keys_upload()
            if isinstance(uploaded, KeysUploadError):
                raise UccnError(
                    f"the homeserver refused the encryption keys of {settings.user_id}'s device "
                    f"{settings.device_id} ({uploaded.message}): it holds keys that the store "
                    f"{self.keys} does not. Restore the store this device was set up with, or "
                    "give the bot a new device_id"
                )
        if self.client.olm is not None and self.keys is not None:
            try:
                self.identity = await cross_sign(
                    self.client,
                    self.keys,
                    password=settings.password,
                    recovery_key=settings.recovery_key,
                )
            except UccnError as error:  # the bot still works, for clients that do not insist
                log.error("cross-signing: %s", error)

    async def disconnect(self) -> None:
        self._stopped.set()
        await self.client.close()
        if self.keys_lock is not None:
            self.keys_lock.release()
            self.keys_lock = None

    async def listen(self, handler: Handler) -> None:
        # Only what the bot reads: members are sent when they speak (a room's size comes
        # in its summary), and no typing notices, receipts, presence or account data; not its
        # own events either, so that its acknowledgements do not wake its next sync.
        sync_filter = {
            "room": {
                "timeline": {
                    "limit": self.settings.timeline_limit,
                    "not_senders": [self.client.user_id],
                },
                "state": {"lazy_load_members": True},
                "ephemeral": {"types": []},
            },
            "presence": {"types": []},
            # The account's own list of its direct chats: rooms made direct before the bot
            # joined them, or marked so by another client of the bot's account.
            "account_data": {"types": [DIRECT_ACCOUNT_DATA]},
        }
        # With encryption, the first sync after a start brings every room's state: sending
        # into a room needs to know whether it is encrypted and who is in it.
        first = self.client.olm is not None
        started = datetime.now(UTC)
        while not self._stopped.is_set():
            since = self.state.get(SYNC_TOKEN)
            timeout = 0 if first else self.settings.sync_timeout_ms
            if (join_in := self.joins.due_in()) is not None:  # wake up for a join due
                timeout = min(timeout, int(join_in * 1000))
            try:
                response = await self.client.sync(
                    timeout=timeout,
                    sync_filter=sync_filter,
                    since=since,
                    full_state=since is None or first,
                )
                if isinstance(response, SyncResponse):
                    await exchange_keys(self.client)
            except (TimeoutError, OSError) as error:
                if self._stopped.is_set():
                    return
                log.warning("Matrix sync failed (%s); retrying", error)
                await asyncio.sleep(self.settings.retry_seconds)
                continue
            if self._stopped.is_set():
                return
            if isinstance(response, SyncError) and response.status_code == EXPIRED:
                if await self.login.renew():
                    continue
                raise UccnError(
                    f"the homeserver no longer takes the access token of {self.settings.user_id}: "
                    "give the bot a new access_token, or its password"
                )
            if isinstance(response, SyncError) or not isinstance(response, SyncResponse):
                log.warning("Matrix sync error: %s", getattr(response, "message", response))
                await asyncio.sleep(self.settings.retry_seconds)
                continue
            first = False
            self._synced.set()
            await self.joins.follow(response)
            self._direct_rooms(response)
            for room_id, info in response.rooms.join.items():
                if since is None:  # a fresh store: what the rooms hold is history
                    self.joins.came_in(room_id, started)
                after = self.joins.came_in_at(room_id)
                events = [e.source for e in info.timeline.events]
                if info.timeline.limited and since is not None:
                    events = await self._backfill(room_id, info.timeline.prev_batch, since) + events
                direct = self._is_direct(room_id)
                for raw in events:
                    if raw.get("sender") == self.client.user_id:
                        continue
                    try:
                        event = to_event(room_id, raw, direct=direct)
                    except Exception:  # one malformed event must not stop the stream
                        log.exception("skipped an event that cannot be read: %.300r", raw)
                        continue
                    if event is not None and after is not None and event.at < after:
                        continue  # said before the bot came: read, not acted on
                    if event is not None:
                        await handler(event)
            # Only now is every event of the batch handled.
            self.state.set(SYNC_TOKEN, response.next_batch)

    async def _backfill(self, room_id: str, start: str | None, since: str) -> list[dict[str, Any]]:
        """The events a limited timeline left out, oldest first, back to `since`."""
        older: list[dict[str, Any]] = []
        token = start
        for _page in range(MAX_BACKFILL_PAGES):
            if token is None:
                break
            response = await self.client.room_messages(
                room_id, start=token, end=since, direction=MessageDirection.back, limit=100
            )
            if isinstance(response, RoomMessagesError) or not response.chunk:
                break
            older.extend(e.source for e in response.chunk)
            if response.end == token:
                break
            token = response.end
        older.reverse()
        log.info("backfilled %d events in %s", len(older), room_id)
        return older

    def _direct_rooms(self, response: SyncResponse) -> None:
        """Keep the rooms the account's `m.direct` account data lists as direct chats: the
        spec's record of them, kept by whichever client of the account made them direct."""
        for event in response.account_data_events:
            if getattr(event, "type", None) != DIRECT_ACCOUNT_DATA:
                continue
            content = getattr(event, "content", None)
            if not isinstance(content, dict):
                continue
            for user, rooms in content.items():
                if not isinstance(user, str) or not isinstance(rooms, list):
                    continue
                for room_id in rooms:
                    if isinstance(room_id, str) and not self._is_direct(room_id):
                        self.state.set(DIRECT_PREFIX + room_id, user)

    @property
    def attachments(self) -> bool:
        return True

    def _encrypted(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return self.client.olm is not None and room is not None and room.encrypted

    def _is_poll(self, event_id: str | None) -> bool:
        return event_id is not None and self.state.get(POLL_PREFIX + event_id) is not None

    def _allowed(self, user_id: str) -> bool:
        server = user_id.split(":", 1)[-1]
        allowed = self.settings.allowed_inviters
        return user_id in allowed or server in allowed

    def _is_direct(self, room_id: str) -> bool:
        return self.state.get(DIRECT_PREFIX + room_id) is not None

    async def send(
        self, message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        poll = False
        content: dict[str, Any]
        if isinstance(message, OutboundMessage) and message.card and message.card.choices:
            poll = self.settings.polls
        if poll and isinstance(message, OutboundMessage) and message.card:
            kind, content = START, poll_start(message.card, message.text)
        elif isinstance(message, OutboundMessage) and self._is_poll(message.closes):
            kind, content = END, poll_end(str(message.closes), message.text)
        elif isinstance(message, OutboundMessage):
            kind = "m.room.message"
            # `.m.rule.suppress_notices` comes before the mention rules: a mention must be text.
            content = {
                "msgtype": "m.text" if message.mentions else "m.notice",
                "body": message.with_mentions(lambda user: user),
                "m.mentions": {"user_ids": list(message.mentions)},
            }
            if message.thread_root:
                content["m.relates_to"] = {
                    "rel_type": "m.thread",
                    "event_id": message.thread_root,
                    # A reply to one message of the thread is a reply; else it falls back.
                    "is_falling_back": message.reply_to is None,
                    "m.in_reply_to": {"event_id": message.reply_to or message.thread_root},
                }
        else:
            kind = "m.reaction"
            content = {
                "m.relates_to": {
                    "rel_type": "m.annotation",
                    "event_id": message.target,
                    "key": message.key,
                }
            }
        # The same key gives the same transaction id: the homeserver posts it once.
        tx_id = hashlib.sha256(key.encode()).hexdigest()[:32]
        if self.client.olm is not None and message.room not in self.client.rooms:
            # Whether to encrypt is known once a sync brought the room: a send right after a
            # start waits for the first one (a room still unknown then is tried again later).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._synced.wait(), FIRST_SYNC_SECONDS)
            if message.room not in self.client.rooms:
                raise UccnError(f"the bot is not in {message.room} (or has not synced it yet)")
        if kind == "m.room.message" and isinstance(message, OutboundMessage) and message.attachment:
            encrypt = self._encrypted(message.room)
            content = await file_content(self.client, message.attachment, content, encrypt=encrypt)
        for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
            # In an encrypted room, nio encrypts for every device of the room's members, as
            # Element does (ignore_unverified_devices: not only the verified ones).
            if kind == "m.reaction" and self._encrypted(message.room):
                response = await send_encrypted_reaction(self.client, message.room, content, tx_id)
            else:
                response = await self.client.room_send(
                    message.room, kind, content, tx_id=tx_id, ignore_unverified_devices=True
                )
            if not isinstance(response, RoomSendError):
                if poll:  # so that closing the call ends it
                    self.state.set(POLL_PREFIX + str(response.event_id), key)
                return str(response.event_id)
            expired = response.status_code == EXPIRED and attempt < MAX_SEND_ATTEMPTS
            if expired and await self.login.renew():
                continue
            if response.status_code == "M_LIMIT_EXCEEDED" and attempt < MAX_SEND_ATTEMPTS:
                self.rate_limited += 1
                delay = (response.retry_after_ms or 1000) / 1000
                log.info("rate limited; retrying %s in %.1f s", key, delay)
                self._waited += delay
                await asyncio.sleep(delay)
                continue
            error = f"Matrix refused a message to {message.room}: {response.message}"
            status = response.transport_response.status if response.transport_response else 0
            # Not (yet) in the room heals when the bot joins; other client errors do not.
            if 400 <= status < 500 and response.status_code != "M_FORBIDDEN":
                raise Refused(error)
            raise UccnError(error)
        raise UccnError(f"Matrix kept rate-limiting a message to {message.room}")
