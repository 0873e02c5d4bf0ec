"""The bot: events in, core services, outbox out. Platform-neutral; connectors do the rest."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from uccn_sdk import messages
from uccn_sdk.announcements.service import Announcements
from uccn_sdk.chat.connector import Connector
from uccn_sdk.chat.events import Event, Message, OutboundMessage, Unreadable
from uccn_sdk.chat.safety import neutralise
from uccn_sdk.commands import COMMAND_PREFIX, CommandContext, Commands
from uccn_sdk.config import NetworkConfig
from uccn_sdk.digest import queue_digest
from uccn_sdk.errors import UccnError
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.runtime.context_log import about
from uccn_sdk.runtime.metrics import Metrics
from uccn_sdk.runtime.scheduler import Scheduler, Work
from uccn_sdk.runtime.sending import Sender
from uccn_sdk.runtime.unreadable import tell_unreadable
from uccn_sdk.store import Store
from uccn_sdk.store.database import unavailable
from uccn_sdk.store.inbox import MAX_ATTEMPTS as MAX_INBOX_ATTEMPTS

log = logging.getLogger("uccn.bot")

POLL_SECONDS = 1.0
"""How often an idle worker looks at the outbox for rows another worker queued."""
JOB_TIMEOUT = 120.0
INBOX_BATCH = 50
LEASE = timedelta(minutes=1)
"""How long the outbox rows a worker takes stay its own; a dead worker's rows are taken
again after it, and sent with a check that they were not sent already."""
FINISH_SECONDS = 20.0
"""How long a stopping bot goes on handling and sending what it holds."""
MAX_BACKOFF = 30.0
"""The longest wait between two tries of a loop that failed (the database away, say)."""


class Stopped(Exception):
    """The bot stopped because a part of it failed for good; the message says which and why,
    in one line, for the operator and the service manager (the process exits non-zero)."""


class Bot:
    def __init__(
        self,
        store: Store,
        plugins: Plugins,
        config: NetworkConfig,
        connectors: list[Connector],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        poll: float = POLL_SECONDS,
        lease: timedelta = LEASE,
    ) -> None:
        self.store, self.plugins, self.config, self.clock = store, plugins, config, clock
        self.connectors = {c.platform: c for c in connectors}
        self.runtime = Runtime(store, plugins, config, clock, connectors)
        """What the features' hooks get; they keep their services there."""
        self.announcements = Announcements(store, config, clock)
        self.poll, self.lease = poll, lease
        work = Work(
            fire=self._job(self.fire), tick=self._job(self.tick), digest=self._job(self.digest)
        )
        self.metrics = Metrics(store, self.connectors)
        self.scheduler = Scheduler(
            store,
            config,
            work,
            poll=poll,
            clock=clock,
            late=lambda job, seconds: self.metrics.scheduler_lag.labels(job).observe(seconds),
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self.commands = Commands(plugins)
        messages.use(plugins.translations())
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        """This bot's name when it claims outbox rows; several bots may share a database."""
        self._wake = asyncio.Event()
        self._received = asyncio.Event()
        self._stopping = asyncio.Event()
        self.ready = asyncio.Event()
        """Set once every connector is connected: the bot is at work."""
        self.connected = dict.fromkeys(self.connectors, False)
        """Which connectors are connected now, by platform (`/readyz` reads it)."""
        self.sender = Sender(
            store, plugins, self.connectors, self.metrics, self.worker, lambda: self.lease
        )
        self.metrics.scheduler_leader.set_function(lambda: 1.0 if self.scheduler.leading else 0.0)
        for platform in self.connectors:  # read from `connected` when scraped
            self.metrics.connector_up.labels(platform).set_function(self._is_connected(platform))

    def _is_connected(self, platform: str) -> Callable[[], float]:
        return lambda: 1.0 if self.connected[platform] else 0.0

    # -- inbound -------------------------------------------------------------------------------

    async def on_event(self, event: Event) -> None:
        """Keep an event from a connector in the inbox; it is handled from there.

        The connector answers the platform once this returns: keeping the event is one
        short write, so the answer is quick and the event is never lost after it. While the
        database is away, this waits and tries again (the connector holds its place in the
        stream meanwhile); it raises only when the bot stops or the write itself is wrong.
        """

        async def keep() -> None:
            with self.store.begin() as tx:
                tx.inbox.add(event)

        await self._through_outages(f"keeping {event.platform} {event.event_id}", keep)
        self.metrics.events_received.labels(event.platform).inc()
        self._received.set()

    async def drain(self) -> int:
        """Handle every event the inbox holds for this worker; return how many."""
        handled = 0
        while True:
            with self.store.begin() as tx:
                taken = tx.inbox.claim(self.worker, limit=INBOX_BATCH, lease=self.lease)
            if not taken:
                return handled
            finished: list[int] = []
            failed: list[tuple[int, Event, str]] = []
            for row_id, event in taken:
                with about(platform=event.platform, room=event.room, event=event.event_id):
                    try:
                        await self.handle(event)
                    except Exception as error:
                        log.exception("handling %s %s failed", event.platform, event.event_id)
                        failed.append((row_id, event, f"{type(error).__name__}: {error}"))
                        self.metrics.events_failed.labels(event.platform).inc()
                    else:
                        finished.append(row_id)
                        self.metrics.events_handled.labels(event.platform).inc()
                handled += 1
                await asyncio.sleep(0)  # let the connectors answer the platform in between
            with self.store.begin() as tx:
                tx.inbox.done(finished)
                for row_id, event, reason in failed:
                    attempts = tx.inbox.failed(row_id, reason, self.lease)
                    if attempts >= MAX_INBOX_ATTEMPTS:
                        self.metrics.events_given_up.labels(event.platform).inc()
                        log.error(
                            "gave up on %s %s after %d attempts; it stays in the inbox table "
                            "with its error",
                            event.platform,
                            event.event_id,
                            attempts,
                        )

    async def _listen(self, platform: str, connector: Connector) -> None:
        """Run the connector's listener; while the database is away (its sync position, its
        rooms are kept there), wait and listen again from where it was, rather than stop."""
        try:
            await self._through_outages(
                f"the {platform} connector", lambda: connector.listen(self.on_event)
            )
        except Exception:
            if not self._stopping.is_set():
                raise

    async def _through_outages(
        self, what: str, attempt: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        """Run `attempt` until it succeeds; while the database is away, wait (longer each
        time, up to MAX_BACKOFF) and try again. What else it raises, it raises; so does an
        attempt that fails once the bot is stopping, or while it waits to stop."""
        failures = 0
        while True:
            try:
                await attempt()
            except Exception as error:
                if not unavailable(error) or self._stopping.is_set():
                    raise
                failures += 1
                delay = self._backoff(failures)
                log.warning(
                    "%s failed, the database is away (%s); trying again in %.1f s",
                    what,
                    str(error).splitlines()[0],
                    delay,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                if self._stopping.is_set():
                    raise  # not done: the caller must not take it for done
                continue
            if failures:
                log.warning("%s works again, the database is back", what)
            return

    def _backoff(self, failures: int) -> float:
        """How long to wait after `failures` failures in a row."""
        return min(MAX_BACKOFF, self.poll * 2.0 ** (failures - 1))

    async def _receiver(self) -> None:
        await self._loop_with_backoff("reading the inbox", self.drain, self._received)

    async def handle(self, event: Event) -> None:
        """Handle one event; the outbox sender posts what it queued."""
        command = self._command_text(event)
        if command is not None and isinstance(event, Message):
            await self._run_command(event, command)
        elif isinstance(event, Unreadable):
            tell_unreadable(self.store, self.config, event)
        else:
            await self.plugins.run("uccn_handle_event", event=event, runtime=self.runtime)
        await self._await_hooks()
        self._wake.set()

    def _command_text(self, event: Event) -> str | None:
        if not isinstance(event, Message) or event.thread_root:
            return None
        text = event.text.strip()
        if text.lower().startswith(COMMAND_PREFIX):
            return text[len(COMMAND_PREFIX) :].strip()
        return text if event.direct else None

    async def _run_command(self, event: Message, text: str) -> None:
        # The command is marked handled with its answer, after it ran: a crash or a failure
        # in between runs it again. A command that stores something (reply) marks the event
        # itself, in the same transaction, so it is stored once.
        with self.store.begin() as tx:
            if tx.inbound.handled(event.platform, event.event_id):
                return
            point = tx.focal_points.identify(event.sender)
        context = CommandContext(
            event=event,
            runtime=self.runtime,
            language=point.language if point else self.config.language,
            is_secretariat=self.config.is_secretariat(event.platform, event.sender.user_id),
            commands=self.commands,
        )
        answer = await self.commands.run(context, text or "help")
        with self.store.begin() as tx:
            if tx.inbound.claim(event.platform, event.event_id) and answer:
                tx.outbox.enqueue(
                    f"answer:{event.platform}:{event.event_id}",
                    event.platform,
                    OutboundMessage(
                        room=event.room,
                        text=neutralise(answer),
                        only_for=event.sender.user_id if event.private else None,
                        attachment=context.attachment,
                    ),
                    kind="answer",
                )

    async def _await_hooks(self) -> None:
        await self.plugins.settle()

    # -- outbound ------------------------------------------------------------------------------

    async def flush(self) -> int:
        """Send every pending outbox row once; return how many were sent (see
        :class:`~uccn_sdk.runtime.sending.Sender`)."""
        return await self.sender.flush()

    async def _sender(self) -> None:
        await self._loop_with_backoff("sending from the outbox", self.flush, self._wake)

    async def _loop_with_backoff(
        self, what: str, round_: Callable[[], Coroutine[Any, Any, int]], woken: asyncio.Event
    ) -> None:
        """Run `round_` until the bot stops, each time `woken` is set or `poll` passes. A round
        that fails (the database refusing connections, a backend killed mid-write) is logged
        with its traceback and tried again after a wait that doubles up to MAX_BACKOFF: what
        it was doing is still in the inbox or the outbox, so nothing is lost meanwhile."""
        failures = 0
        while not self._stopping.is_set():
            try:
                await round_()
            except Exception:
                failures += 1
                delay = self._backoff(failures)
                log.exception(
                    "%s failed (%d in a row); trying again in %.1f s", what, failures, delay
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=delay)
                continue
            if failures:
                log.warning("%s works again after %d failures", what, failures)
                failures = 0
            woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), timeout=self.poll)

    # -- scheduled work (run by the scheduler leader) -------------------------------------

    async def tick(self) -> None:
        """The periodic work the features do on `uccn_tick`: the calls feature closes calls past
        their deadline and queues reminders, matching its rounds' follow-ups."""
        await self.plugins.run("uccn_tick", runtime=self.runtime)
        await self._await_hooks()
        self._wake.set()

    async def fire(self, announcement_id: str) -> None:
        """Queue an announcement's deliveries that are due, and send them now."""
        self.announcements.fire(announcement_id)
        self._wake.set()

    async def digest(self) -> None:
        queue_digest(self.store, self.config, self.clock())
        self._wake.set()

    def _job(self, work: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
        """`work` as the scheduler's threads call it: run in the bot's loop, waited for."""

        def run(*args: str) -> None:
            if self._loop is None:
                raise RuntimeError("the bot is not running")
            future = asyncio.run_coroutine_threadsafe(work(*args), self._loop)
            future.result(timeout=JOB_TIMEOUT)

        return run

    # -- running -------------------------------------------------------------------------------

    async def run(self) -> None:
        """Connect every connector and run until `stop` is called or a connector ends.

        Every worker sends from the outbox; the one that wins the scheduler lock also runs
        the scheduled work (announcements, deadlines, reminders, the digest).
        """
        self._loop = asyncio.get_running_loop()
        await self.plugins.run("uccn_runtime_started", runtime=self.runtime)
        for platform, connector in self.connectors.items():
            try:
                await connector.connect()
            except Exception as error:
                if isinstance(error, UccnError):  # it says what to check: no traceback
                    log.error("the %s connector could not connect: %s", platform, error)
                else:
                    log.exception("the %s connector could not connect", platform)
                for connected in self.connected:  # their sessions closed, not left open
                    with contextlib.suppress(Exception):
                        await self.connectors[connected].disconnect()
                await self.runtime.finish_beside()
                raise Stopped(f"the {platform} connector could not connect: {error}") from error
            self.connected[platform] = True
        self.ready.set()
        named = {
            f"the {platform} connector": asyncio.create_task(self._listen(platform, c))
            for platform, c in self.connectors.items()
        }
        named["the outbox sender"] = asyncio.create_task(self._sender())
        named["the inbox reader"] = asyncio.create_task(self._receiver())
        tasks = list(named.values())
        # The scheduler ends by itself once stopping is set, handing over its lock.
        scheduling = asyncio.create_task(self.scheduler.run(self._stopping))
        stopper = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait([*tasks, scheduling, stopper], return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._stopping.set()
            await asyncio.gather(scheduling, return_exceptions=True)
            for platform, connector in self.connectors.items():
                with contextlib.suppress(Exception):
                    await connector.disconnect()
                self.connected[platform] = False
            failed = _failure(named)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._finish()
            await self.runtime.finish_beside()
        if failed is not None:
            what, cause = failed
            log.error("%s stopped: %s", what, cause, exc_info=cause)
            raise Stopped(f"{what} stopped: {type(cause).__name__}: {cause}") from cause

    async def _finish(self) -> None:
        """Handle and send what is left before stopping, as far as the store lets it and
        within FINISH_SECONDS; what is not done stays queued for the next start."""

        async def finish() -> None:
            await self.drain()
            await self._await_hooks()
            await self.flush()

        try:
            await asyncio.wait_for(finish(), timeout=FINISH_SECONDS)
        except TimeoutError:
            log.warning(
                "stopping before the work in hand was done (%.0f s); it stays queued for the "
                "next start",
                FINISH_SECONDS,
            )
        except Exception:
            log.exception("finishing the work in hand failed; it stays queued for the next start")

    def wake(self) -> None:
        """Send what the outbox holds now, rather than at the next round."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()


def _failure(tasks: dict[str, asyncio.Task[Any]]) -> tuple[str, BaseException] | None:
    """The first of `tasks` that ended with an error, and the error."""
    for what, task in tasks.items():
        if task.done() and not task.cancelled() and task.exception() is not None:
            return what, task.exception()  # type: ignore[return-value]
    return None
