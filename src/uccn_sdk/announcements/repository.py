"""An announcement's records: the announcement with when it posts next, and every delivery."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from uccn_sdk.models import Announcement, AnnouncementState
from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for
from uccn_sdk.store.repository import Repository, aware


@dataclass(frozen=True)
class ScheduledAnnouncement:
    """An announcement with where the scheduler stands on it."""

    announcement: Announcement
    processed_until: datetime | None
    next_due: datetime | None

    @property
    def upcoming(self) -> datetime | None:
        """When it posts next: never while it is paused, cancelled or done."""
        scheduled = self.announcement.state is AnnouncementState.SCHEDULED
        return self.next_due if scheduled else None


class AnnouncementRepository(Repository[Announcement]):
    table = schema.announcements
    model = Announcement
    what = "announcement"

    def columns(self, record: Announcement) -> dict[str, Any]:
        return {"id": record.id, "state": record.state.value}

    def save(
        self, record: Announcement, *, next_due: datetime | None, processed_until: datetime
    ) -> None:
        """Store a new or changed announcement with when it posts next: the one place the
        schedule is kept (the scheduler leader reads `next_due` from here)."""
        t = self.table
        self.put(record)
        values: dict[str, Any] = {"next_due": next_due, "processed_until": processed_until}
        self.connection.execute(update(t).where(t.c.id == record.id).values(**values))

    def scheduled(self, announcement_id: str) -> ScheduledAnnouncement | None:
        t = self.table
        row = self.connection.execute(select(t).where(t.c.id == announcement_id)).first()
        return self._scheduled(row) if row else None

    def listed(self) -> list[ScheduledAnnouncement]:
        """Every announcement, the next due first."""
        t = self.table
        return self._scheduled_where(order=(t.c.next_due, t.c.id))

    def in_state(self, state: AnnouncementState) -> list[ScheduledAnnouncement]:
        return self._scheduled_where(self.table.c.state == state.value)

    def due(self, now: datetime) -> list[str]:
        """The ids of the scheduled announcements with a delivery due by `now`, soonest first."""
        t = self.table
        query = (
            select(t.c.id)
            .where(t.c.state == AnnouncementState.SCHEDULED.value, t.c.next_due <= now)
            .order_by(t.c.next_due, t.c.id)
        )
        return [row.id for row in self.connection.execute(query)]

    def postpone(self, announcement_id: str, until: datetime) -> None:
        t = self.table
        self.connection.execute(update(t).where(t.c.id == announcement_id).values(next_due=until))

    def earliest_due(self) -> datetime | None:
        """When the next delivery of any scheduled announcement falls due."""
        t = self.table
        query = select(func.min(t.c.next_due)).where(t.c.state == AnnouncementState.SCHEDULED.value)
        return aware(self.connection.execute(query).scalar_one_or_none())

    def advance(
        self,
        announcement_id: str,
        processed_until: datetime,
        next_due: datetime | None,
        state: AnnouncementState | None = None,
    ) -> None:
        """Record that deliveries due up to `processed_until` are handled."""
        t = self.table
        values: dict[str, Any] = {"processed_until": processed_until, "next_due": next_due}
        if state is not None:
            current = self.require(announcement_id)
            self.put(current.model_copy(update={"state": state}))
        self.connection.execute(update(t).where(t.c.id == announcement_id).values(**values))

    def _scheduled_where(
        self,
        *where: ColumnElement[bool],
        order: Sequence[Any] = (),
        limit: int | None = None,
    ) -> list[ScheduledAnnouncement]:
        query = select(self.table).where(*where).order_by(*(order or [self.table.c.id]))
        if limit is not None:
            query = query.limit(limit)
        return [self._scheduled(row) for row in self.connection.execute(query)]

    def _scheduled(self, row: Any) -> ScheduledAnnouncement:
        return ScheduledAnnouncement(
            announcement=self._load(row.data),
            processed_until=aware(row.processed_until),
            next_due=aware(row.next_due),
        )


QUEUED, SKIPPED, MISSED = "queued", "skipped", "missed"


@dataclass(frozen=True)
class DeliveryRecord:
    announcement: str
    platform: str
    room: str
    occurrence: str
    due: datetime
    status: str
    reason: str | None


class DeliveryLog:
    """What became of each delivery of each announcement: queued, skipped or missed, once."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record(self, records: Sequence[DeliveryRecord]) -> list[DeliveryRecord]:
        """Record deliveries; return those not recorded before (the only ones to act on)."""
        if not records:
            return []
        t = schema.announcement_deliveries
        statement = insert_for(self.connection, t)
        now = datetime.now(UTC)
        result = self.connection.execute(
            statement.on_conflict_do_nothing(
                index_elements=["announcement", "platform", "room", "occurrence"]
            ).returning(t.c.platform, t.c.room, t.c.occurrence),
            [
                {
                    "announcement": r.announcement,
                    "platform": r.platform,
                    "room": r.room,
                    "occurrence": r.occurrence,
                    "due": r.due,
                    "status": r.status,
                    "reason": r.reason,
                    "recorded_at": now,
                }
                for r in records
            ],
        )
        new = {(row.platform, row.room, row.occurrence) for row in result}
        return [r for r in records if (r.platform, r.room, r.occurrence) in new]

    def for_announcement(self, announcement_id: str) -> list[DeliveryRecord]:
        t = schema.announcement_deliveries
        rows = self.connection.execute(
            select(t).where(t.c.announcement == announcement_id).order_by(t.c.due, t.c.room)
        )
        return [
            DeliveryRecord(
                row.announcement,
                row.platform,
                row.room,
                row.occurrence,
                aware(row.due) or row.due,
                row.status,
                row.reason,
            )
            for row in rows
        ]

    def queued_between(self, start: datetime, end: datetime) -> int:
        """How many deliveries fell due after `start` and by `end` and were posted."""
        t = schema.announcement_deliveries
        query = select(func.count()).where(t.c.status == QUEUED, t.c.due > start, t.c.due <= end)
        return int(self.connection.execute(query).scalar_one())

    def counts(self, announcement_id: str | None = None) -> dict[str, int]:
        """How many deliveries (of one announcement, or all) are in each state."""
        t = schema.announcement_deliveries
        query = select(t.c.status, func.count()).group_by(t.c.status)
        if announcement_id is not None:
            query = query.where(t.c.announcement == announcement_id)
        rows = self.connection.execute(query)
        return {str(status): int(count) for status, count in rows}
