"""The worker processes of `uccn bot run --workers N`, watched by the first: one that dies is
logged with its exit status and started again (waiting longer each time it dies young), and
each worker stops when the process that started it is gone, so none is left behind."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any

log = logging.getLogger("uccn.workers")

MAX_BACKOFF = 30.0
"""The longest wait before a worker that keeps dying is started again."""
HEALTHY_AFTER = 60.0
"""A worker that ran this long before dying is started again at once."""


@dataclass
class Worker:
    index: int
    process: SpawnProcess
    started: float
    failures: int = 0
    due: float | None = None
    """When a dead worker is to be started again."""


@dataclass
class Workers:
    """Starts workers 1…N-1 with `target(*args, index)` and keeps them running."""

    context: SpawnContext
    target: Callable[..., None]
    args: tuple[Any, ...]
    count: int
    workers: dict[int, Worker] = field(default_factory=dict)
    restarts: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _watching: threading.Thread | None = None

    def start(self) -> None:
        for index in range(1, self.count):
            self.workers[index] = Worker(index, self._spawn(index), time.monotonic())
        self._watching = threading.Thread(target=self._watch, name="uccn-workers", daemon=True)
        self._watching.start()

    def alive(self) -> int:
        """How many workers run now, this process included."""
        return 1 + sum(1 for w in self.workers.values() if w.process.is_alive())

    def stop(self, grace: float = 30.0) -> None:
        """Ask each worker to stop (SIGTERM: it finishes what it holds) and wait for it."""
        self._stop.set()
        if self._watching is not None:
            self._watching.join(timeout=5)
        for worker in self.workers.values():
            if worker.process.is_alive():
                worker.process.terminate()
        end = time.monotonic() + grace
        for worker in self.workers.values():
            worker.process.join(timeout=max(0.0, end - time.monotonic()))
            if worker.process.is_alive():
                log.error("worker %d did not stop within %.0f s; killed", worker.index, grace)
                worker.process.kill()
                worker.process.join(timeout=5)

    def _spawn(self, index: int) -> SpawnProcess:
        process = self.context.Process(
            target=self.target,
            args=(*self.args, index),
            kwargs={"parent": os.getpid()},  # known before it starts: it may die meanwhile
            name=f"uccn-worker-{index}",
        )
        process.start()
        return process

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            now = time.monotonic()
            for worker in self.workers.values():
                if worker.due is None and not worker.process.is_alive():
                    young = now - worker.started < HEALTHY_AFTER
                    worker.failures = worker.failures + 1 if young else 1
                    delay = min(MAX_BACKOFF, 2.0 ** (worker.failures - 1)) if young else 0.0
                    log.error(
                        "worker %d (pid %s) exited with status %s; starting it again in %.0f s",
                        worker.index,
                        worker.process.pid,
                        worker.process.exitcode,
                        delay,
                    )
                    worker.due = now + delay
                if worker.due is not None and now >= worker.due and not self._stop.is_set():
                    worker.process = self._spawn(worker.index)
                    worker.started, worker.due = now, None
                    self.restarts += 1
                    log.warning("worker %d started again", worker.index)


async def stop_when_orphaned(stop: Callable[[], None], parent: int) -> None:
    """Call `stop` once the process that started this one is gone (this one was adopted)."""
    while os.getppid() == parent:
        await asyncio.sleep(1.0)
    log.error("the process that started this worker is gone; stopping")
    stop()
