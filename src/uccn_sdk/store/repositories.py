"""One repository per record type, each bound to a transaction's connection."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Table, delete, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from uccn_sdk.chat.events import Sender
from uccn_sdk.models import (
    Announcement,
    AnnouncementState,
    Call,
    City,
    FocalPoint,
    Match,
    Project,
    Reply,
    Round,
    UnlinkedReply,
)
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import STORED
from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for
from uccn_sdk.store.filters import CityFilter

M = TypeVar("M", bound=Model)

_BATCH = 2_000  # rows per statement: keeps SQLite under its variable limit


class NotFound(LookupError):
    """No record has that key."""


class Repository(Generic[M]):
    """Keeps records of one model as JSON documents, with columns to filter on."""

    table: ClassVar[Table]
    model: ClassVar[type[Model]]
    what: ClassVar[str]

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def columns(self, record: M) -> dict[str, Any]:
        """The row for `record`, key and filter columns included."""
        raise NotImplementedError

    def key(self, record: M) -> tuple[str, ...]:
        return tuple(str(self.columns(record)[c.name]) for c in self.table.primary_key)

    def _where_key(self, key: Sequence[str]) -> list[ColumnElement[bool]]:
        return [c == k for c, k in zip(self.table.primary_key, key, strict=True)]

    def get(self, *key: str) -> M | None:
        row = self.connection.execute(
            select(self.table.c.data).where(*self._where_key(key))
        ).first()
        return self._load(row.data) if row else None

    def require(self, *key: str) -> M:
        record = self.get(*key)
        if record is None:
            raise NotFound(f"no {self.what} {'/'.join(key)!r}")
        return record

    def put(self, record: M) -> None:
        """Insert or replace the record."""
        self.put_many([record])

    def put_many(self, records: Iterable[M]) -> int:
        rows = [self._row(record) for record in records]
        for start in range(0, len(rows), _BATCH):
            self._upsert(rows[start : start + _BATCH])
        return len(rows)

    def delete(self, *key: str) -> bool:
        result = self.connection.execute(delete(self.table).where(*self._where_key(key)))
        return bool(result.rowcount)

    def count(self) -> int:
        return int(
            self.connection.execute(select(func.count()).select_from(self.table)).scalar_one()
        )

    def all(self) -> list[M]:
        return self._select()

    def _select(self, *where: ColumnElement[bool]) -> list[M]:
        query = select(self.table.c.data).where(*where).order_by(*self.table.primary_key)
        return [self._load(row.data) for row in self.connection.execute(query)]

    def _load(self, data: Mapping[str, Any]) -> M:
        return self.model.model_validate(data, context=STORED)  # type: ignore[return-value]

    def _row(self, record: M) -> dict[str, Any]:
        return {**self.columns(record), "data": record.model_dump(mode="json")}

    def _upsert(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        statement = insert_for(self.connection, self.table)
        keys = [c.name for c in self.table.primary_key]
        updates = {name: statement.excluded[name] for name in rows[0] if name not in keys}
        if updates:
            self.connection.execute(
                statement.on_conflict_do_update(index_elements=keys, set_=updates), rows
            )
        else:
            self.connection.execute(statement.on_conflict_do_nothing(index_elements=keys), rows)


class CityRepository(Repository[City]):
    table = schema.cities
    model = City
    what = "city"
    origin = "import"
    """Who put the records written through this repository: 'import' or a source's name."""

    def with_origin(self, origin: str) -> CityRepository:
        repository = CityRepository(self.connection)
        repository.origin = origin
        return repository

    def columns(self, record: City) -> dict[str, Any]:
        return {
            "id": record.id,
            "name": record.name,
            "country": record.country,
            "region": record.region.value if record.region else None,
            "field": record.field,
            "year": record.year,
            "origin": self.origin,
        }

    def find(
        self,
        *,
        fields: Iterable[str] = (),
        countries: Iterable[str] = (),
        regions: Iterable[str] = (),
        years: Iterable[int] = (),
    ) -> list[City]:
        """Cities matching every filter given (see :class:`CityFilter`)."""
        c = self.table.c
        given = CityFilter.of(fields=fields, countries=countries, regions=regions, years=years)
        where = [c[column].in_(values) for column, values in given.columns()]
        query = select(c.data).where(*where).order_by(c.name, c.id)
        found = (self._load(row.data) for row in self.connection.execute(query))
        return [city for city in found if given.keeps(city)]

    def snapshot(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Every city's origin and document, by id: what an import compares against."""
        c = self.table.c
        rows = self.connection.execute(select(c.id, c.origin, c.data))
        return {row.id: (row.origin, row.data) for row in rows}


class SourceLoads:
    """Which version of each city source the store has loaded."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def versions(self) -> dict[str, str]:
        t = schema.source_loads
        return {row.source: row.version for row in self.connection.execute(select(t))}

    def record(self, source: str, version: str, cities: int) -> None:
        t = schema.source_loads
        self.connection.execute(delete(t).where(t.c.source == source))
        self.connection.execute(
            t.insert().values(
                source=source, version=version, cities=cities, loaded_at=datetime.now(UTC)
            )
        )


class FocalPointRepository(Repository[FocalPoint]):
    table = schema.focal_points
    model = FocalPoint
    what = "focal point"

    def columns(self, record: FocalPoint) -> dict[str, Any]:
        return {"id": record.id, "city": record.city}

    def put_many(self, records: Iterable[FocalPoint]) -> int:
        records = list(records)
        count = super().put_many(records)
        handles = schema.focal_point_handles
        for record in records:
            self.connection.execute(delete(handles).where(handles.c.focal_point == record.id))
            if record.handles:
                self.connection.execute(
                    handles.insert(),
                    [
                        {"platform": p, "handle": h, "focal_point": record.id}
                        for p, h in record.handles.items()
                    ],
                )
        return count

    def for_city(self, city: str) -> list[FocalPoint]:
        return self._select(self.table.c.city == city)

    def identify(self, sender: Sender) -> FocalPoint | None:
        """The focal point who sent a chat event: by their linked handle, or else by the
        e-mail address the platform verified for them, which links the handle from now on."""
        point = self.by_handle(sender.platform, sender.user_id)
        if point is not None or not sender.email:
            return point
        email = sender.email.strip().lower()
        found = [p for p in self.all() if p.email and p.email.lower() == email]
        if len(found) != 1 or sender.platform in found[0].handles:
            return None  # unknown, ambiguous, or linked to another account on this platform
        linked = found[0].model_copy(
            update={"handles": {**found[0].handles, sender.platform: sender.user_id}}
        )
        self.put(linked)
        return linked

    def by_handle(self, platform: str, handle: str) -> FocalPoint | None:
        h = schema.focal_point_handles
        row = self.connection.execute(
            select(self.table.c.data)
            .join(h, h.c.focal_point == self.table.c.id)
            .where(h.c.platform == platform, h.c.handle == handle)
        ).first()
        return self._load(row.data) if row else None


class ProjectRepository(Repository[Project]):
    table = schema.projects
    model = Project
    what = "project"

    def columns(self, record: Project) -> dict[str, Any]:
        return {"id": record.id, "lead_city": record.lead_city}

    def led_by(self, city: str) -> list[Project]:
        return self._select(self.table.c.lead_city == city)


class CallRepository(Repository[Call]):
    table = schema.calls
    model = Call
    what = "call"

    def columns(self, record: Call) -> dict[str, Any]:
        return {"id": record.id, "state": record.state.value, "deadline": record.deadline}

    def in_state(self, state: str) -> list[Call]:
        return self._select(self.table.c.state == state)


class ReplyRepository(Repository[Reply]):
    table = schema.replies
    model = Reply
    what = "reply"

    def columns(self, record: Reply) -> dict[str, Any]:
        return {
            "call": record.call,
            "city": record.city,
            "withdrawn": record.withdrawn,
            "updated_at": record.updated_at,
        }

    def for_call(self, call: str, *, include_withdrawn: bool = False) -> list[Reply]:
        where = [self.table.c.call == call]
        if not include_withdrawn:
            where.append(self.table.c.withdrawn.is_(False))
        return self._select(*where)


class UnlinkedReplyRepository(Repository[UnlinkedReply]):
    table = schema.unlinked_replies
    model = UnlinkedReply
    what = "unlinked reply"

    def columns(self, record: UnlinkedReply) -> dict[str, Any]:
        return {
            "call": record.call,
            "platform": record.platform,
            "author": record.author,
            "received_at": record.received_at,
        }

    def for_call(self, call: str) -> list[UnlinkedReply]:
        return self._select(self.table.c.call == call)

    def by_author(self, platform: str, author: str) -> list[UnlinkedReply]:
        return self._select(self.table.c.platform == platform, self.table.c.author == author)


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
        return _aware(self.connection.execute(query).scalar_one_or_none())

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
            processed_until=_aware(row.processed_until),
            next_due=_aware(row.next_due),
        )


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the store writes UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


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
                _aware(row.due) or row.due,
                row.status,
                row.reason,
            )
            for row in rows
        ]

    def counts(self, announcement_id: str) -> dict[str, int]:
        t = schema.announcement_deliveries
        rows = self.connection.execute(
            select(t.c.status, func.count())
            .where(t.c.announcement == announcement_id)
            .group_by(t.c.status)
        )
        return {str(status): int(count) for status, count in rows}


class MatchRepository:
    """Matches are a log: each is added, never replaced."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, match: Match) -> None:
        self.add_many([match])

    def add_many(self, matches: Sequence[Match]) -> None:
        if not matches:
            return
        now = datetime.now(UTC)
        self.connection.execute(
            schema.matches.insert(),
            [
                {
                    "subject": f"{m.subject.kind}:{m.subject.ref}",
                    "other": f"{m.other.kind}:{m.other.ref}",
                    "score": m.score,
                    "created_at": now,
                    "round": m.round,
                    "data": m.model_dump(mode="json"),
                }
                for m in matches
            ],
        )

    def between(self, subject: str, other: str) -> list[Match]:
        """Matches recorded for a pair, either way round, as 'kind:ref' strings."""
        t = schema.matches
        query = (
            select(t.c.data)
            .where(
                ((t.c.subject == subject) & (t.c.other == other))
                | ((t.c.subject == other) & (t.c.other == subject))
            )
            .order_by(t.c.id)
        )
        return [
            Match.model_validate(row.data, context=STORED) for row in self.connection.execute(query)
        ]

    def paired_cities(self) -> dict[frozenset[str], int]:
        """How many rounds paired each two cities."""
        t = schema.matches
        query = (
            select(t.c.subject, t.c.other, func.count())
            .where(t.c.round.is_not(None))
            .group_by(t.c.subject, t.c.other)
        )
        pairs: dict[frozenset[str], int] = {}
        for subject, other, count in self.connection.execute(query):
            if subject.startswith("city:") and other.startswith("city:"):
                key = frozenset((subject[5:], other[5:]))
                pairs[key] = pairs.get(key, 0) + int(count)
        return pairs

    def count(self) -> int:
        return int(
            self.connection.execute(select(func.count()).select_from(schema.matches)).scalar_one()
        )


class OptOuts:
    """Cities that asked not to be suggested as peers nor put in rounds."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def cities(self) -> set[str]:
        t = schema.match_optouts
        return {row.city for row in self.connection.execute(select(t.c.city))}

    def count(self) -> int:
        t = schema.match_optouts
        return int(self.connection.execute(select(func.count()).select_from(t)).scalar_one())

    def set(self, city: str, opted_out: bool) -> bool:
        """Opt `city` out (or back in); return whether anything changed."""
        t = schema.match_optouts
        if not opted_out:
            return bool(self.connection.execute(t.delete().where(t.c.city == city)).rowcount)
        if self.connection.execute(select(t.c.city).where(t.c.city == city)).first():
            return False
        self.connection.execute(t.insert().values(city=city, since=datetime.now(UTC)))
        return True


class RoundRepository(Repository[Round]):
    table = schema.rounds
    model = Round
    what = "round"

    def columns(self, record: Round) -> dict[str, Any]:
        return {
            "id": record.id,
            "created_at": record.created_at,
            "follow_up_at": None if record.followed_up else record.follow_up_at,
        }

    def recent(self, limit: int = 20) -> list[Round]:
        query = select(self.table.c.data).order_by(self.table.c.created_at.desc()).limit(limit)
        return [self._load(row.data) for row in self.connection.execute(query)]

    def follow_ups_due(self, now: datetime) -> list[Round]:
        c = self.table.c
        return self._select(c.follow_up_at.is_not(None), c.follow_up_at <= now)
