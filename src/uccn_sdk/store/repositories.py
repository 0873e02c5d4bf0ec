"""One repository per record type, each bound to a transaction's connection."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.sql.elements import ColumnElement

from uccn_sdk.models import (
    Announcement,
    Call,
    City,
    FocalPoint,
    Match,
    Project,
    Reply,
    UnlinkedReply,
)
from uccn_sdk.models.base import Model
from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for

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
        return self.model.model_validate(data)  # type: ignore[return-value]

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
        """Cities matching every filter given; each filter matches any of its values."""
        where: list[ColumnElement[bool]] = []
        c = self.table.c
        for column, values in (
            (c.field, list(fields)),
            (c.country, [v.upper() for v in countries]),
            (c.region, list(regions)),
            (c.year, list(years)),
        ):
            if values:
                where.append(column.in_(values))
        query = select(c.data).where(*where).order_by(c.name, c.id)
        return [self._load(row.data) for row in self.connection.execute(query)]

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


class AnnouncementRepository(Repository[Announcement]):
    table = schema.announcements
    model = Announcement
    what = "announcement"

    def columns(self, record: Announcement) -> dict[str, Any]:
        return {"id": record.id, "state": record.state.value}


class MatchRepository:
    """Matches are a log: each is added, never replaced."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, match: Match) -> None:
        self.connection.execute(
            schema.matches.insert().values(
                subject=f"{match.subject.kind}:{match.subject.ref}",
                other=f"{match.other.kind}:{match.other.ref}",
                score=match.score,
                created_at=datetime.now(UTC),
                data=match.model_dump(mode="json"),
            )
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
        return [Match.model_validate(row.data) for row in self.connection.execute(query)]

    def count(self) -> int:
        return int(
            self.connection.execute(select(func.count()).select_from(schema.matches)).scalar_one()
        )
