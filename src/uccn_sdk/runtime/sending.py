"""Sending what the outbox holds: each room's posts in the order they were queued, the rooms
side by side, so a room that is slow, flooded or failing holds up only itself."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Literal

from uccn_sdk.chat.connector import Connector, Refused, Unsupported
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.context_log import about
from uccn_sdk.runtime.metrics import Metrics
from uccn_sdk.store import Store
from uccn_sdk.store.outbox import PER_ROOM, OutboxRow

log = logging.getLogger("uccn.bot")

MAX_ATTEMPTS = 5
"""Sends of a post before it is given up (it stays in the outbox, failed, with the error)."""
SENDING_ROOMS = 8
"""How many rooms one worker sends to at once."""


class Sender:
    """One worker's sending: it claims rows (as `worker`, for `lease()`) and sends them."""

    def __init__(
        self,
        store: Store,
        plugins: Plugins,
        connectors: dict[str, Connector],
        metrics: Metrics,
        worker: str,
        lease: Callable[[], timedelta],
    ) -> None:
        self.store, self.plugins, self.connectors = store, plugins, connectors
        self.metrics, self.worker, self.lease = metrics, worker, lease

    async def flush(self) -> int:
        """Send every pending outbox row once; return how many were sent.

        Each room's rows go in the order they were queued; the rooms go side by side (up to
        SENDING_ROOMS at once, each taking at most PER_ROOM rows a turn), so a room that is
        slow, flooded or failing holds up only itself: after a failure its rows wait for the
        next round while the other rooms' are sent.
        """
        sent = 0
        for platform, connector in self.connectors.items():
            sent += await self._flush_platform(platform, connector)
        return sent

    async def _flush_platform(self, platform: str, connector: Connector) -> int:
        held_back: set[str] = set()  # rooms whose send failed: tried again next round
        sending: dict[str, asyncio.Task[int]] = {}  # by room: one turn each at a time
        sent = 0
        try:
            while True:
                free = SENDING_ROOMS - len(sending)
                if free > 0:
                    with self.store.begin() as tx:
                        rows = tx.outbox.claim(
                            self.worker,
                            platform,
                            limit=free * PER_ROOM,
                            lease=self.lease(),
                            skip_rooms=held_back | set(sending),
                        )
                    by_room: dict[str, list[OutboxRow]] = {}
                    for row in rows:
                        by_room.setdefault(row.message.room, []).append(row)
                    rooms = list(by_room)
                    waiting = [r.id for room in rooms[free:] for r in by_room[room]]
                    if waiting:  # more rooms than free turns: the rest wait for theirs
                        with self.store.begin() as tx:
                            tx.outbox.release(waiting)
                    for room in rooms[:free]:
                        sending[room] = asyncio.create_task(
                            self._send_room(connector, by_room[room], held_back)
                        )
                if not sending:
                    return sent
                done, _ = await asyncio.wait(sending.values(), return_when=asyncio.FIRST_COMPLETED)
                for room, task in list(sending.items()):
                    if task in done:
                        del sending[room]
                        sent += task.result()
        finally:  # a failure (the database away) lets the other rooms' turns end first
            await asyncio.gather(*sending.values(), return_exceptions=True)

    async def _send_room(
        self, connector: Connector, rows: list[OutboxRow], held_back: set[str]
    ) -> int:
        """Send one room's rows in order; on a failure that may pass, leave the rest."""
        sent = 0
        for index, row in enumerate(rows):
            with about(
                platform=row.platform,
                room=row.room,
                post=row.key,
                call=row.call,
                announcement=row.announcement,
            ):
                outcome = await self._send_row(connector, row)
            if outcome == "sent":
                sent += 1
            elif outcome == "failed":
                held_back.add(row.message.room)
                with self.store.begin() as tx:
                    tx.outbox.release([r.id for r in rows[index + 1 :]])
                return sent  # the room's rest waits for the next round, in order
        return sent

    async def _send_row(
        self, connector: Connector, row: OutboxRow
    ) -> Literal["sent", "refused", "failed"]:
        """Send one row: sent, refused for good, or failed (to be tried again)."""
        metrics = self.metrics
        with self.store.begin() as tx:
            tx.outbox.trying(row.id)  # where a check after a crash looks
        if row.retry:
            metrics.posts_retried.labels(row.platform).inc()
        started = time.perf_counter()
        message = row.message
        if isinstance(message, OutboundMessage) and not connector.attachments:
            message = message.without_attachment()
        try:
            try:
                event_id = await connector.send(
                    message, row.key, retry=row.retry, since=row.tried_at
                )
            except (Unsupported, Refused) as error:
                if not (isinstance(message, OutboundMessage) and message.attachment):
                    raise
                log.warning("%s: the file was refused (%s); its fallback is said", row.key, error)
                message = message.without_attachment()
                event_id = await connector.send(message, row.key, retry=True, since=row.tried_at)
        except (Unsupported, Refused) as error:
            log.warning("%s cannot be sent: %s", row.key, error)
            metrics.posts_failed.labels(row.platform, "true").inc()
            with self.store.begin() as tx:
                tx.outbox.mark_failed(row.id, str(error), final=True)
            return "refused"
        except Exception as error:
            log.warning("sending %s failed: %s", row.key, error)
            metrics.posts_failed.labels(row.platform, "false").inc()
            with self.store.begin() as tx:
                tx.outbox.mark_failed(row.id, str(error), final=row.attempts + 1 >= MAX_ATTEMPTS)
            return "failed"
        metrics.send_seconds.labels(row.platform).observe(time.perf_counter() - started)
        with self.store.begin() as tx:
            tx.outbox.mark_sent(row.id, event_id)
        metrics.posts_sent.labels(row.platform, row.kind).inc()
        self._sent(row)
        return "sent"

    def _sent(self, row: OutboxRow) -> None:
        if row.announcement is None or not self.plugins.listens("uccn_announcement_sent"):
            return
        with self.store.begin() as tx:
            announcement = tx.announcements.get(row.announcement)
        if announcement is not None:
            self.plugins.notify("uccn_announcement_sent", announcement=announcement, city=row.city)
