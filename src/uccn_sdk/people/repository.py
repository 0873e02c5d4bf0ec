"""The people behind each city: its focal points, the handles they write from, and the people
asking to be linked to a city."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from uccn_sdk.chat.events import Sender
from uccn_sdk.models import FocalPoint
from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for
from uccn_sdk.store.repository import Repository


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


class LinkRequests:
    """People asking to be linked to a city as its focal point, until the Secretariat decides."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, platform: str, handle: str, city: str) -> None:
        t = schema.link_requests
        statement = insert_for(self.connection, t)
        self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=["platform", "handle"],
                set_={
                    "city": statement.excluded.city,
                    "requested_at": statement.excluded.requested_at,
                },
            ),
            {
                "platform": platform,
                "handle": handle,
                "city": city,
                "requested_at": datetime.now(UTC),
            },
        )

    def get(self, platform: str, handle: str) -> str | None:
        t = schema.link_requests
        row = self.connection.execute(
            select(t.c.city).where(t.c.platform == platform, t.c.handle == handle)
        ).first()
        return str(row.city) if row else None

    def remove(self, platform: str, handle: str) -> None:
        t = schema.link_requests
        self.connection.execute(delete(t).where(t.c.platform == platform, t.c.handle == handle))

    def all(self) -> list[tuple[str, str, str]]:
        t = schema.link_requests
        rows = self.connection.execute(select(t).order_by(t.c.requested_at))
        return [(r.platform, r.handle, r.city) for r in rows]
