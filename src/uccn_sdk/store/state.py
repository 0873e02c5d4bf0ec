"""Small records the bot keeps between runs: connector positions and link requests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select

from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for


class ConnectorState:
    """A connector's position in its platform's stream (a Matrix sync token), by key."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, platform: str, key: str) -> str | None:
        t = schema.connector_state
        row = self.connection.execute(
            select(t.c.value).where(t.c.platform == platform, t.c.key == key)
        ).first()
        return str(row.value) if row else None

    def set(self, platform: str, key: str, value: str) -> None:
        t = schema.connector_state
        statement = insert_for(self.connection, t)
        self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=["platform", "key"], set_={"value": statement.excluded.value}
            ),
            {"platform": platform, "key": key, "value": value},
        )


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
