"""The scheduler every worker runs; only the leader's does scheduling work.

The leader runs APScheduler with its jobs in the project's database (table
``scheduler_jobs``), so a restart keeps what was scheduled. Announcements are stored by the
CLI or the chat command; the leader turns each new or changed one into a job (``sync``).
Missed runs are coalesced into one and run if still within the grace; a run later than
that is skipped by APScheduler, and the announcement's deliveries it covered are recorded
as missed by the next firing — never posted late or twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from uccn_sdk.config import NetworkConfig
from uccn_sdk.models import AnnouncementState
from uccn_sdk.scheduling import jobs
from uccn_sdk.scheduling.leader import LeaderLock, leader_lock
from uccn_sdk.scheduling.trigger import AnnouncementTrigger
from uccn_sdk.store import Store, schema

if TYPE_CHECKING:
    from uccn_sdk.announcements.service import Announcements

log = logging.getLogger("uccn.scheduling")

PERIODIC_SECONDS = 60
"""How often the leader closes calls past their deadline and queues due reminders."""


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
    ) -> None:
        self.store, self.config, self.work = store, config, work
        self.poll, self.clock = poll, clock
        self.lock = lock or leader_lock(store.engine)
        self._scheduler: Any = None
        self.became_leader_at: datetime | None = None

    @property
    def leading(self) -> bool:
        return self._scheduler is not None

    async def run(self, stopping: asyncio.Event) -> None:
        """Try to lead, and while leading keep the jobs in step, until `stopping` is set."""
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
        """One round: take the lead if free, give it up if lost, sync the jobs if leading."""
        if self.leading:
            if not self.lock.holds():
                log.warning("lost the scheduler lead; another worker takes over")
                self._shutdown()
                return
            self.sync()
        elif self.lock.try_acquire():
            self._start()

    def _start(self) -> None:
        from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        scheduler = BackgroundScheduler(
            jobstores={
                "default": SQLAlchemyJobStore(engine=self.store.engine, tablename="scheduler_jobs")
            },
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={
                # After downtime: one run for all missed ones, if within the grace.
                "coalesce": True,
                "misfire_grace_time": int(self.config.announcement_grace.total_seconds()),
                "max_instances": 1,
            },
            timezone=UTC,
        )

        def missed(event: JobExecutionEvent) -> None:
            # Too late for APScheduler to run it: fire anyway, so the deliveries it covered
            # are recorded as missed (the firing posts nothing past the grace).
            if event.job_id.startswith("announce:"):
                self._guarded(self.work.fire, event.job_id.removeprefix("announce:"))

        scheduler.add_listener(missed, EVENT_JOB_MISSED)
        jobs.bind(self.work)
        scheduler.start()
        self._scheduler = scheduler
        self.became_leader_at = self.clock()
        log.info("this worker leads the scheduler")
        scheduler.add_job(
            jobs.periodic,
            IntervalTrigger(seconds=PERIODIC_SECONDS, timezone=UTC),
            id="calls:periodic",
            replace_existing=True,
            next_run_time=self.clock(),
        )
        digest = self.config.digest
        if digest.enabled:
            scheduler.add_job(
                jobs.weekly_digest,
                CronTrigger(
                    day_of_week=digest.day,
                    hour=digest.at.hour,
                    minute=digest.at.minute,
                    timezone=digest.timezone,
                ),
                id="digest:weekly",
                replace_existing=True,
            )
        elif scheduler.get_job("digest:weekly"):
            scheduler.remove_job("digest:weekly")
        self.sync(everything=True)

    def sync(self, *, everything: bool = False) -> int:
        """Make or remove the job of every announcement changed since; return how many.

        `everything` also checks announcements whose job should exist but does not (the job
        store was emptied by hand, say), or wakes for other time zones than its rooms are now
        read in (rooms added to the room map, a city's zone corrected): a job wakes at the
        local hour of the zones it was made with, so a new zone's rooms would get nothing.
        """
        scheduler = self._scheduler
        if scheduler is None:
            return 0
        from uccn_sdk.announcements.service import Announcements

        service = Announcements(self.store, self.config, self.clock)
        synced = 0
        with self.store.begin() as tx:
            changed = tx.announcements.out_of_sync()
            if everything:
                known = {c.announcement.id for c in changed}
                jobs_t = schema.scheduler_jobs
                stored = {row.id for row in tx.connection.execute(select(jobs_t.c.id))}
                scheduled = [
                    s
                    for s in tx.announcements.in_state(AnnouncementState.SCHEDULED)
                    if s.announcement.id not in known
                ]
        if everything:
            changed += [
                s
                for s in scheduled
                if f"announce:{s.announcement.id}" not in stored
                or self._zones_changed(s.announcement.id, service)
            ]
        for item in changed:
            announcement = item.announcement
            job_id = f"announce:{announcement.id}"
            if announcement.state is AnnouncementState.SCHEDULED:
                trigger = AnnouncementTrigger(announcement, service.zones(announcement.id))
                # Run once now: it catches up on anything due while no job existed.
                scheduler.add_job(
                    jobs.fire_announcement,
                    trigger,
                    args=[announcement.id],
                    id=job_id,
                    replace_existing=True,
                    next_run_time=self.clock(),
                )
            elif scheduler.get_job(job_id) is not None:
                scheduler.remove_job(job_id)
            with self.store.begin() as tx:
                tx.announcements.mark_synced(announcement.id, item.revision)
            synced += 1
        return synced

    def _zones_changed(self, announcement_id: str, service: Announcements) -> bool:
        job = self._scheduler.get_job(f"announce:{announcement_id}") if self._scheduler else None
        trigger = getattr(job, "trigger", None)
        if not isinstance(trigger, AnnouncementTrigger):
            return True
        return trigger.zones != service.zones(announcement_id)  # both as service.zones gives them

    def stop(self) -> None:
        """Stop leading (if leading) and free the lock for another worker."""
        self._shutdown()

    def _shutdown(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=True)
            jobs.bind(None)
        self.lock.release()

    @staticmethod
    def _guarded(action: Callable[[str], None], value: str) -> None:
        try:
            action(value)
        except Exception:
            log.exception("scheduled work on %s failed", value)
