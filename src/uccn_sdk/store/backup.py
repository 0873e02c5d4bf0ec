"""Backups of a SQLite store with SQLite's online backup API: a copy taken while the bot writes
is a consistent one, and a restore replaces the whole database at once or not at all.

A PostgreSQL store is backed up with the server's own tools (`pg_dump`, see
`docs/deployment.md`)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from uccn_sdk.runtime.leader import leader_lock
from uccn_sdk.store.database import Store, StoreError
from uccn_sdk.store.revisions import REVISIONS

POSTGRES_HINT = (
    "this store is on PostgreSQL: back it up with pg_dump --format=custom and restore it with "
    "pg_restore (docs/deployment.md, Backups)"
)


def backup(store: Store, target: Path) -> int:
    """Copy the store to `target` (a new file, readable by its owner only); its size."""
    source = _sqlite_path(store)
    if target.exists():
        raise StoreError(f"{target} exists already; give a new file name")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise StoreError(f"there is no folder {folder}")
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    os.close(handle)
    try:
        os.chmod(partial, 0o600)
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)
        os.replace(partial, target)  # the backup appears whole, or not at all
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return target.stat().st_size


def restore(store: Store, source: Path) -> str:
    """Replace the store's database with the backup `source`, checked first; its revision.

    Refused while a bot runs on the store (it holds the scheduler's lock): what it holds in
    memory would no longer match. The outbox comes back as it was in the backup: posts marked
    sent stay sent, and one sent after the backup was taken is sent again only on a platform
    that cannot tell (see docs/deployment.md).
    """
    target = _sqlite_path(store)
    if not source.is_file():
        raise StoreError(f"there is no backup at {source}")
    revision = _check(source)
    lock = leader_lock(store.engine)
    if not lock.try_acquire():
        raise StoreError("a bot is running on this store; stop it before restoring")
    try:
        store.engine.dispose()  # no connection of ours sees the old file after this
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # one transaction on the target: all of it, or nothing
    finally:
        lock.release()
    return revision


def _check(source: Path) -> str:
    """The schema revision of the uccn database at `source`; StoreError when it is not one."""
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
            (integrity,) = connection.execute("PRAGMA integrity_check").fetchone()
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{source} is not a uccn database: {error}") from None
    if integrity != "ok":
        raise StoreError(f"{source} is damaged: {integrity}")
    if row is None or row[0] not in REVISIONS:
        raise StoreError(
            f"{source} is at schema revision {row[0] if row else 'none'}, which this uccn does "
            "not know; restore it with the uccn that made it"
        )
    return str(row[0])


def _sqlite_path(store: Store) -> str:
    if store.engine.dialect.name != "sqlite":
        raise StoreError(POSTGRES_HINT)
    database = store.engine.url.database
    if not database or database == ":memory:":
        raise StoreError("an in-memory store has nothing to back up")
    return str(Path(database).expanduser())
