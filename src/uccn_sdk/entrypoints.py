"""The installed distributions' entry points, read once per process.

``importlib.metadata.entry_points(group=...)`` reads every distribution's entry-point file
on each call; `uccn` asks for two groups (its command groups and its plugins), so it reads
them all once and picks groups from that. The reading is done again when ``sys.path`` or a
folder on it changes, as when a distribution is installed while the process runs (a
distribution's entry-point file rewritten in place is not seen until then).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from importlib.metadata import EntryPoints
from importlib.metadata import entry_points as _read
from typing import cast


def entry_points(group: str) -> EntryPoints:
    """The entry points of `group` in every installed distribution."""
    return _all(_fingerprint()).select(group=group)


@lru_cache(maxsize=4)
def _all(fingerprint: tuple[tuple[str, int], ...]) -> EntryPoints:
    # Python 3.11 gives a SelectableGroups here (3.12 an EntryPoints); both select by group.
    return cast(EntryPoints, _read())


def _fingerprint() -> tuple[tuple[str, int], ...]:
    """`sys.path` and when each folder on it last changed."""
    stamps = []
    for entry in sys.path:
        try:
            stamps.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            stamps.append((entry, 0))
    return tuple(stamps)
