"""`uccn db backup` and `uccn db restore`: a copy taken while the bot writes is whole, and a
restore puts back all of the backup or changes nothing."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

from tests.conftest import Result
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.runtime.leader import leader_lock
from uccn_sdk.store import Store


def queued(url: str) -> int:
    store = Store.connect(url)
    with store.begin() as tx:
        count = len(tx.outbox.pending(limit=100_000))
    store.close()
    return count


def test_a_backup_taken_while_the_bot_writes_is_whole_and_restores(uccn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'uccn.db'}"
    store = Store.open(url)
    writing = threading.Event()

    def write() -> None:  # the bot, queueing posts all along
        n = 0
        while not writing.is_set():
            with store.begin() as tx:
                tx.outbox.enqueue(
                    f"k{n}", "matrix", OutboundMessage(room="!r", text="x" * 500), kind="notice"
                )
            n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while queued(url) < 200:
            pass
        copy = tmp_path / "backup.db"
        result: Result = uccn("--database-url", url, "db", "backup", str(copy))
    finally:
        writing.set()
        writer.join()
    assert result.code == 0, result.err
    assert result.out.startswith(f"Copied {url} to {copy} (")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # replies and e-mails: the owner's only
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    in_backup = queued(f"sqlite:///{copy}")
    assert 200 <= in_backup < queued(url)  # taken while the writes went on
    store.close()

    result = uccn("--database-url", url, "db", "restore", str(copy))
    assert result.code == 0, result.err
    assert queued(url) == in_backup

    again = uccn("--database-url", url, "db", "backup", str(copy))
    assert again.code == 1 and "exists already; give a new file name" in again.err


def test_a_restore_is_refused_while_a_bot_runs_or_from_what_is_not_a_backup(
    uccn, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'uccn.db'}"
    store = Store.open(url)
    with store.begin() as tx:
        tx.outbox.enqueue("kept", "matrix", OutboundMessage(room="!r", text="x"), kind="notice")
    copy = tmp_path / "backup.db"
    assert uccn("--database-url", url, "db", "backup", str(copy)).code == 0

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = uccn("--database-url", url, "db", "restore", str(junk))
    assert result.code == 1 and "is not a uccn database" in result.err
    assert queued(url) == 1  # unchanged

    running = leader_lock(store.engine)  # a bot leading on this store
    assert running.try_acquire()
    try:
        result = uccn("--database-url", url, "db", "restore", str(copy))
    finally:
        running.release()
    assert result.code == 1 and "a bot is running on this store; stop it" in result.err
    store.close()


def test_postgresql_is_backed_up_with_its_own_tools(uccn) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import POSTGRES_URL, _postgres_or_skip

    _postgres_or_skip()
    result = uccn("--database-url", POSTGRES_URL, "db", "backup", "/tmp/never-written.db")
    assert result.code == 1 and "pg_dump" in result.err
