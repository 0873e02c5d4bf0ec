"""The base every repository shares: records of one model kept as JSON documents, with the
columns queries filter on, bound to a transaction's connection. Each feature keeps its own
repositories beside it (``calls/repository.py``, ``announcements/repository.py``…)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.sql.elements import ColumnElement

from uccn_sdk.models.base import Model
from uccn_sdk.models.values import STORED
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


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the store writes UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
