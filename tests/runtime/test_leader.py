"""Electing the scheduler leader: one at a time, and another when the leader goes."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from sqlalchemy import text

from uccn_sdk.runtime.leader import _LOCK_BASE, AdvisoryLock, FileLock, leader_lock
from uccn_sdk.store import Store


def test_one_file_lock_holder_at_a_time_and_the_next_after_release(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "uccn.leader"), FileLock(tmp_path / "uccn.leader")
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire() and second.holds()
    second.release()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_one_advisory_lock_holder_at_a_time_and_takeover_when_its_session_dies(
    database_url: str,
) -> None:
    one, two = Store.open(database_url), Store.open(database_url)
    try:
        first, second = leader_lock(one.engine), leader_lock(two.engine)
        assert isinstance(first, AdvisoryLock)
        assert first.try_acquire()
        assert not second.try_acquire()
        # The leader's session dies (a crash, a network cut): the server frees its lock.
        # Only that session: other tests' sessions on the server hold advisory locks too.
        with two.engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            key = _LOCK_BASE + zlib.crc32(str(schema).encode()) % 1_000_000
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND classid = 0 AND objid = :key AND pid <> pg_backend_pid()"
                ),
                {"key": key},
            )
        assert not first.holds()
        assert second.try_acquire()
        second.release()
    finally:
        one.close()
        two.close()
