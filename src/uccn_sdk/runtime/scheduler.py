"""The scheduler every worker runs; only the leader's does scheduling work.

The schedule is kept once, in the announcements' rows: each knows when its next delivery falls
due (``next_due``), and the CLI, the chat commands and the firings keep it. The leader runs
APScheduler in memory with three jobs: the periodic work (deadlines, reminders, follow-ups),
the weekly digest, and one wake-up at the earliest ``next_due``, which fires every announcement
due then and is moved whenever the earliest moment changes. A new leader has nothing to load:
it reads one moment. Firing is safe to repeat and decides itself what is too late: a delivery
past the grace is recorded as missed, never posted late or twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from uccn_sdk.announcements.service import Announcements
from uccn_sdk.config import NetworkConfig
from uccn_sdk.runtime.leader import LeaderLock, leader_lock
from uccn_sdk.store import Store

log = logging.getLogger("uccn.scheduling")

PERIODIC_SECONDS = 60
"""How often the leader closes calls past their deadline and queues due reminders."""
RETRY_SECONDS = 30
"""How long an announcement whose firing failed waits before the leader tries it again."""
DUE_JOB = "announcements:due"
BASIS_KEY = ("scheduler", "basis")
"""Where the leader keeps what it last planned the announcements with (connector_state)."""
HEARTBEAT_KEY = ("scheduler", "heartbeat")
"""Where the leader says it still leads, with the time (read by `/readyz`)."""
HEARTBEAT_SECONDS = 15.0


@dataclass(frozen=True)
class Work:
    """What the jobs do, given by whoever runs the scheduler (the bot)."""

    fire: Callable[[str], None]
    """Fire an announcement: queue its due deliveries."""
    tick: Callable[[], None]
    """Close calls past their deadline, queue due reminders."""
    digest: Callable[[], None]
    """Queue the weekly digest."""


class Scheduler:
    def __init__(
        self,
        store: Store,
        config: NetworkConfig,
        work: Work,
        *,
        poll: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lock: LeaderLock | None = None,
        late: Callable[[str, float], None] | None = None,
    ) -> None:
        """`late` is told, for each job started, its id and how many seconds after its due
        moment it started (the metrics' job lag)."""
        self.store, self.config, self.work = store, config, work
        self.poll, self.clock = poll, clock
        self.lock = lock or leader_lock(store.engine)
        self.announcements = Announcements(store, config, clock)
        self._scheduler: Any = None
        self._arming = threading.Lock()
        self._armed_for: datetime | None = None
        self._beat: float | None = None
        self._late = late

    @property
    def leading(self) -> bool:
        return self._scheduler is not None

    async def run(self, stopping: asyncio.Event) -> None:
        """Try to lead, and while leading follow the schedule, until `stopping` is set."""
        try:
            while not stopping.is_set():
                try:
                    await asyncio.to_thread(self.step)
                except Exception:
                    log.exception("the scheduler's round failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=self.poll)
        finally:
            await asyncio.to_thread(self.stop)

    def step(self) -> None:
        """One round: take the lead if free, give it up if lost, follow the schedule if leading."""
        if self.leading:
            if not self.lock.holds():
                log.warning("lost the scheduler lead; another worker takes over")
                self._shutdown()
                return
            self.sync()
        elif self.lock.try_acquire():
            self._start()
        if self.leading:
            self._heartbeat()

    def _heartbeat(self) -> None:
        """Say, every HEARTBEAT_SECONDS, that this worker still leads."""
        now = time.monotonic()
        if self._beat is not None and now - self._beat < HEARTBEAT_SECONDS:
            return
        with self.store.begin() as tx:
            tx.connector_state.set(*HEARTBEAT_KEY, datetime.now(UTC).isoformat())  # wall time
        self._beat = now

    def _start(self) -> None:
        from apscheduler.events import EVENT_JOB_SUBMITTED
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            # Always run a late job: the work itself knows what is too late for it.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        if self._late is not None:
            scheduler.add_listener(self._started, EVENT_JOB_SUBMITTED)
        scheduler.start()
        self._scheduler = scheduler
        now = self.clock()
        log.info("this worker leads the scheduler")
        scheduler.add_job(
            self._guarded(self.work.tick),
            IntervalTrigger(seconds=PERIODIC_SECONDS, timezone=UTC),
            id="tick",
            next_run_time=now,
        )
        self._schedule_digest(now)
        self._replan_if_needed()
        with self._arming:
            self._armed_for = None
        self.sync()

    def _started(self, event: Any) -> None:
        """A job handed to a thread (APScheduler's JobSubmissionEvent): how late it is."""
        if self._late is not None and event.scheduled_run_times:
            late = (datetime.now(UTC) - event.scheduled_run_times[0]).total_seconds()
            self._late(event.job_id, max(0.0, late))

    def _schedule_digest(self, now: datetime) -> None:
        from apscheduler.triggers.cron import CronTrigger

        digest = self.config.digest
        if not digest.enabled:
            return
        trigger = CronTrigger(
            day_of_week=digest.day,
            hour=digest.at.hour,
            minute=digest.at.minute,
            timezone=digest.timezone,
        )
        self._scheduler.add_job(self._guarded(self.work.digest), trigger, id="digest:weekly")
        # A digest due while no worker led goes out now if still within the grace (it is
        # queued once a week whatever happens: its key is the week's).
        grace = self.config.announcement_grace
        last = trigger.get_next_fire_time(None, now - grace)
        if last is not None and last <= now:
            self._scheduler.add_job(self._guarded(self.work.digest), id="digest:late")

    def _replan_if_needed(self) -> None:
        """Plan the announcements again if the rooms or the cities changed since the last
        leader planned them: a room mapped while the bot was down gets its local hour."""
        basis = self.announcements.basis()
        with self.store.begin() as tx:
            known = tx.connector_state.get(*BASIS_KEY)
        if basis == known:
            return
        changed = self.announcements.replan()
        with self.store.begin() as tx:
            tx.connector_state.set(*BASIS_KEY, basis)
        if known is not None:
            log.info("the rooms or cities changed: %d announcements planned again", changed)

    def sync(self) -> datetime | None:
        """Wake the announcements' job at the earliest moment one is due (an announcement
        scheduled, changed, paused or fired since changes it); return that moment."""
        if self._scheduler is None:
            return None
        earliest = self.announcements.earliest_due()
        self._arm(earliest)
        return earliest

    def _arm(self, moment: datetime | None) -> None:
        with self._arming:
            if moment == self._armed_for or self._scheduler is None:
                return
            self._armed_for = moment
            if moment is None:
                with contextlib.suppress(Exception):  # nothing was armed
                    self._scheduler.remove_job(DUE_JOB)
                return
            from apscheduler.triggers.date import DateTrigger

            self._scheduler.add_job(
                self._fire_due, DateTrigger(run_date=moment), id=DUE_JOB, replace_existing=True
            )

    def _fire_due(self) -> None:
        """Fire every announcement due now, then wake again when the next one is. One whose
        firing fails is tried again RETRY_SECONDS later (its row says so), not in a loop."""
        now = self.clock()
        retry = now + timedelta(seconds=RETRY_SECONDS)
        for announcement_id in self.announcements.due(now):
            try:
                self.work.fire(announcement_id)
            except Exception:
                log.exception("firing the announcement %s failed", announcement_id)
                self.announcements.postpone(announcement_id, retry)
        for announcement_id in self.announcements.due(now):  # fired, yet due: never a busy loop
            log.warning(
                "the announcement %s is still due after firing; again at %s", announcement_id, retry
            )
            self.announcements.postpone(announcement_id, retry)
        with self._arming:
            self._armed_for = None  # that wake-up is spent
        self.sync()

    def stop(self) -> None:
        """Stop leading (if leading) and free the lock for another worker."""
        self._shutdown()

    def _shutdown(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        self._beat = None
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        self.lock.release()

    @staticmethod
    def _guarded(action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                action()
            except Exception:
                log.exception("scheduled work failed")

        return run
