"""What a log line is about: while the runtime handles an event or sends a post, every line
logged (by uccn, a plugin or a library) carries the platform, the room, the event id or the
post's key, and the call or announcement, as fields a JSON log shows and a collector indexes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

FIELDS = ("platform", "room", "event", "post", "call", "announcement")

_about: ContextVar[dict[str, str]] = ContextVar("uccn_log_about", default={})  # noqa: B039 - never mutated


@contextmanager
def about(**values: str | None) -> Iterator[None]:
    """Within the block, log lines carry `values` (those not None), beside any already set."""
    token = _about.set({**_about.get(), **{k: v for k, v in values.items() if v is not None}})
    try:
        yield
    finally:
        _about.reset(token)


class AboutFilter(logging.Filter):
    """Puts what the current work is about on each record (a handler's filter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _about.get().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True
