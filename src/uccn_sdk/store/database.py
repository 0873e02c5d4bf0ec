"""Opening the store: connect, check the schema's revision, migrate, and hand out transactions."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from uccn_sdk.announcements.repository import AnnouncementRepository, DeliveryLog
from uccn_sdk.calls.repository import (
    CallRepository,
    ReplyRepository,
    ReplySources,
    UnlinkedReplyRepository,
)
from uccn_sdk.directory.repository import CityRepository, SourceLoads
from uccn_sdk.errors import UccnError
from uccn_sdk.matching.repository import (
    MatchRepository,
    OptOuts,
    ProjectRepository,
    RoundRepository,
)
from uccn_sdk.people.audit import AuditLog
from uccn_sdk.people.repository import FocalPointRepository, LinkRequests
from uccn_sdk.people.signin import SignIns
from uccn_sdk.store.inbox import InboundEvents, Inbox
from uccn_sdk.store.location import database_url, display_url
from uccn_sdk.store.outbox import Outbox
from uccn_sdk.store.revisions import HEAD, REVISIONS
from uccn_sdk.store.state import KeptValues

__all__ = ["HEAD", "REVISIONS", "Store", "StoreError", "Transaction"]

_MIGRATION_LOCK = 0x75CC_0001  # PostgreSQL advisory lock key, so two workers never migrate at once


class StoreError(UccnError):
    """The store cannot be used as asked; the message says why and what to do."""


class Unreachable(StoreError):
    """The database server cannot be reached now (down, restarting, refusing connections)."""


def unavailable(error: BaseException) -> bool:
    """Whether `error` says the database is away for now (it refuses connections, or ended
    ours), so the same work may succeed later, rather than that the work is wrong."""
    return isinstance(error, (Unreachable, OperationalError)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


class Transaction:
    """One unit of work: every repository on one connection, committed together."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.cities = CityRepository(connection)
        self.source_loads = SourceLoads(connection)
        self.focal_points = FocalPointRepository(connection)
        self.projects = ProjectRepository(connection)
        self.calls = CallRepository(connection)
        self.replies = ReplyRepository(connection)
        self.announcements = AnnouncementRepository(connection)
        self.deliveries = DeliveryLog(connection)
        self.matches = MatchRepository(connection)
        self.optouts = OptOuts(connection)
        self.rounds = RoundRepository(connection)
        self.unlinked_replies = UnlinkedReplyRepository(connection)
        self.outbox = Outbox(connection)
        self.inbound = InboundEvents(connection)
        self.inbox = Inbox(connection)
        self.reply_sources = ReplySources(connection)
        self.connector_state = KeptValues(connection)
        self.link_requests = LinkRequests(connection)
        self.signins = SignIns(connection)
        self.audit = AuditLog(connection)

    def lock(self, name: str) -> None:
        """Wait until no other transaction holds the lock `name`; hold it until this one ends.

        PostgreSQL takes a transaction-level advisory lock on the name's key. SQLite has one
        writer at a time, so becoming the writer is the lock (waiting up to the connection's
        busy timeout): the statement writes nothing but starts the write transaction.
        """
        if self.connection.dialect.name == "postgresql":
            key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")
            self.connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": key - 2**63}
            )
        else:
            self.connection.execute(text("UPDATE source_loads SET source = source WHERE 0"))


class Store:
    """The project's database. Open it with :meth:`open`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, url: str | None = None, *, upgrade: bool = True) -> Store:
        """Open the database at `url` (default: UCCN_DATABASE_URL, else the SQLite file).

        A SQLite file is created on first use. A database behind the code is migrated
        when `upgrade` is true; one ahead of the code is refused.
        """
        store = cls.connect(url)
        current = store.revision()
        if current != HEAD:
            if not upgrade:
                store._refuse_newer(current)
                raise StoreError(
                    f"the database at {store.url} is at revision {current or 'none'}; "
                    f"run `uccn db upgrade` to bring it to {HEAD}."
                )
            store.upgrade()
        return store

    @classmethod
    def connect(cls, url: str | None = None) -> Store:
        """The store at `url` as it is: no schema check, no migration."""
        return cls(_engine(database_url(url)))

    def _refuse_newer(self, revision: str | None) -> None:
        if revision is not None and revision not in REVISIONS:
            raise StoreError(
                f"the database at {self.url} is at schema revision {revision}, newer than this "
                f"uccn knows (up to {HEAD}). Upgrade uccn before using this database."
            )

    def revision(self) -> str | None:
        """The schema revision the database is at, or None for an empty database."""
        with self._connect() as connection:
            return _revision_on(connection)

    def upgrade(self) -> tuple[str | None, str]:
        """Migrate to the newest revision; return (before, after)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self._connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
                connection.commit()
            try:
                before = _revision_on(connection)
                self._refuse_newer(before)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
                return before, _revision_on(connection) or HEAD
            finally:
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK}
                    )
                    connection.commit()

    @contextmanager
    def begin(self) -> Iterator[Transaction]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        with self._connect() as connection, connection.begin():
            yield Transaction(connection)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            connection = self.engine.connect()
        except OperationalError as error:
            raise Unreachable(_unreachable(self.engine, error)) from None
        with connection:
            yield connection


def _revision_on(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None


def _engine(url: str) -> Engine:
    shown = display_url(url)
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url)
        return create_engine(url, pool_pre_ping=True, connect_args=_connect_args(url))
    except (ArgumentError, NoSuchModuleError) as error:
        raise StoreError(
            f"{shown} is not a database URL uccn can use ({error}). "
            "Give sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE."
        ) from None
    except ModuleNotFoundError as error:
        raise StoreError(
            f"the driver for {shown} is not installed ({error.name}). "
            "For PostgreSQL, install uccn-sdk[postgresql]."
        ) from None


def _connect_args(url: str) -> dict[str, Any]:
    return {"connect_timeout": 5} if url.startswith("postgresql") else {}


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30})
    database = engine.url.database
    if database and database != ":memory:":
        path = Path(database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # It holds focal points' e-mails and the cities' replies: its owner's alone. SQLite
            # gives its -wal and -shm files the database's own permissions.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


def _unreachable(engine: Engine, error: OperationalError) -> str:
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return (
        f"could not open the database at {display_url(str(engine.url))}: {reason}. "
        "Check that the server is running and the URL (UCCN_DATABASE_URL or --database-url) "
        "is right."
    )
