"""Who leads: the one worker that runs the scheduler, chosen by a lock the database holds.

On PostgreSQL the lock is a session advisory lock on a connection the leader keeps open:
when the leader dies, its connection closes, the server frees the lock and another worker
takes it. A SQLite database is one machine's file: the lock is an exclusive ``flock`` on
a file beside it, freed by the kernel when the process ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import zlib
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text

log = logging.getLogger("uccn.scheduling")

_LOCK_BASE = 0x75CC_1000


class LeaderLock(Protocol):
    def try_acquire(self) -> bool:
        """Take the lock if it is free; True if this worker holds it now."""
        ...

    def holds(self) -> bool:
        """Whether this worker still holds the lock (its connection may have died)."""
        ...

    def release(self) -> None: ...


class AdvisoryLock:
    """A PostgreSQL session advisory lock, one per schema, so deployments sharing a
    database by schema each have their own leader."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        if self._connection is not None:
            return self.holds()
        connection = self.engine.connect()
        try:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            key = _LOCK_BASE + zlib.crc32(str(schema).encode()) % 1_000_000
            got = bool(
                connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            )
            connection.commit()
        except Exception:
            connection.close()
            raise
        if got:
            self._connection = connection
        else:
            connection.close()
        return got

    def holds(self) -> bool:
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except Exception as error:
            log.warning("lost the scheduler lock's connection: %s", error)
            self._drop()
            return False
        return True

    def release(self) -> None:
        # Unlock before closing: a closed session frees its locks only once the server has
        # noticed, and a worker waiting for the lead should not find it still taken.
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.execute(text("SELECT pg_advisory_unlock_all()"))
                self._connection.commit()
        self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # Never hand a locked session back to the pool; it may be gone already.
            with contextlib.suppress(Exception):
                connection.invalidate()
                connection.close()


class FileLock:
    """An exclusive flock on a file beside the SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def holds(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()


class SoleLock:
    """An in-memory database has one process: it always leads."""

    def __init__(self) -> None:
        self._held = False

    def try_acquire(self) -> bool:
        self._held = True
        return True

    def holds(self) -> bool:
        return self._held

    def release(self) -> None:
        self._held = False


def leader_lock(engine: Engine) -> LeaderLock:
    """The lock that elects the scheduler leader for the database behind `engine`."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    database = engine.url.database
    if not database or database == ":memory:":
        return SoleLock()
    return FileLock(Path(database).expanduser().with_suffix(".leader"))
