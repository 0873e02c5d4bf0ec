"""Small records the bot keeps between runs, by key: a connector's position in its platform's
stream, what the scheduler last planned with."""

from __future__ import annotations

from sqlalchemy import Connection, select

from uccn_sdk.store import schema
from uccn_sdk.store.dialect import insert_for


class KeptValues:
    """Values kept between runs under an owner and a key: a connector's position in its
    platform's stream (a Matrix sync token), what the scheduler last planned with. A connector
    reads and writes its own through :class:`uccn_sdk.chat.connector.ConnectorState`."""

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
