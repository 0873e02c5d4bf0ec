"""Watching real processes from a test: the workers a process started, whether one is alive,
and what a worker's health listener answers (Linux's /proc; urllib, so no event loop)."""

from __future__ import annotations

import contextlib
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path


def children(pid: int) -> set[int]:
    """The live worker processes `pid` started (Linux's /proc; multiprocessing's resource
    tracker, a child too, left out)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):  # a thread's children are listed by it
        with contextlib.suppress(FileNotFoundError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return {p for p in found if alive(p) and b"spawn_main" in cmdline(p)}


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scrape(port: int, page: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}", timeout=5) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()
    except OSError:
        return 0, ""


def metric(text: str, name: str) -> float | None:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else None
