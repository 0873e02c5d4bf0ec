"""The functions the scheduler's stored jobs name. APScheduler keeps a job as a textual
reference to a module-level function, so they reach the running scheduler through here;
one scheduler leads per process at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uccn_sdk.scheduling.scheduler import Work

_work: Work | None = None


def bind(work: Work | None) -> None:
    global _work
    _work = work


def _current() -> Work:
    if _work is None:
        raise RuntimeError("no scheduler is running in this process")
    return _work


def fire_announcement(announcement_id: str) -> None:
    _current().fire(announcement_id)


def periodic() -> None:
    _current().tick()


def weekly_digest() -> None:
    _current().digest()
