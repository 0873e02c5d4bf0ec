"""Several bot processes on one PostgreSQL: they share the posts, and one leads the scheduler.

Real processes (`uccn bot run`), each posting through the console connector, which prints
every post: the test reads what each process printed, so a doubled post would show.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.processes import alive, children, free_port, metric, scrape
from uccn_sdk.announcements.service import Announcements
from uccn_sdk.config import load_config
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Announcement, Audience, Once
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store, schema

UCCN = Path(sys.executable).parent / "uccn"
POST = re.compile(r"^\[#\d+ bot → (\S+)\]$")
LEADS = "this worker leads the scheduler"


@dataclass
class Worker:
    process: subprocess.Popen[str]
    out: Path
    log: Path

    def posts(self) -> list[str]:
        lines = self.out.read_text(encoding="utf-8").splitlines()
        return [m.group(1) for line in lines if (m := POST.match(line))]

    def leads(self) -> bool:
        return LEADS in self.log.read_text(encoding="utf-8")


@dataclass
class Fleet:
    url: str
    config_path: Path
    tmp: Path
    store: Store
    workers: list[Worker] = field(default_factory=list)

    def start(self, n: int) -> None:
        for index in range(n):
            self.workers.append(Worker(*self.bot(f"worker{index}", "--verbose")))

    def bot(self, name: str, *arguments: str) -> tuple[subprocess.Popen[str], Path, Path]:
        """`uccn bot run --platform console ARGUMENTS` on the fleet's store; the process, and
        where its output (NAME.out) and its log (NAME.log) go."""
        out, log = self.tmp / f"{name}.out", self.tmp / f"{name}.log"
        with out.open("w") as stdout, log.open("w") as stderr:
            process = subprocess.Popen(
                [
                    *(str(UCCN), "--database-url", self.url, "--config", str(self.config_path)),
                    *("bot", "run", "--platform", "console", *arguments),
                ],
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                text=True,
                env={**os.environ, "UCCN_HOME": str(self.tmp)},
            )
        return process, out, log

    def leader(self) -> Worker:
        alive = [w for w in self.workers if w.process.poll() is None]
        leaders = [w for w in alive if w.leads()]
        assert len(leaders) == 1, [w.log.read_text() for w in self.workers]
        return leaders[0]

    def announce(self, announcement_id: str, seconds: float) -> None:
        config = load_config(self.config_path)
        Announcements(self.store, config).schedule(
            Announcement(
                id=announcement_id,
                text=f"{announcement_id}: hello, every city",
                audience=Audience(everyone=True),
                schedule=Once(at=datetime.now(UTC) + timedelta(seconds=seconds)),
            )
        )

    def sent(self, announcement_id: str) -> list[tuple[str, str]]:
        t = schema.outbox
        with self.store.begin() as tx:
            rows = tx.connection.execute(
                select(t.c.room, t.c.claimed_by).where(
                    t.c.announcement == announcement_id, t.c.state == "sent"
                )
            )
            return [(row.room, row.claimed_by) for row in rows]


def _wait(condition: object, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting until {what}")


@pytest.fixture
def fleet(database_url: str, tmp_path: Path) -> Iterator[Fleet]:
    store = Store.open(database_url)
    sync_sources(store, Plugins.load().city_sources())
    with store.begin() as tx:
        # 408 member cities: the shipped 405 and 3 the Secretariat imported.
        template = tx.cities.require("toulouse")
        tx.cities.put_many(
            template.model_copy(update={"id": f"extra-{n:02d}", "name": f"Extra {n}"})
            for n in range(3)
        )
        cities = [c.id for c in tx.cities.find()]
    assert len(cities) == 408
    rooms = "\n".join(f'"{city}" = "#{city}"' for city in cities)
    config_path = tmp_path / "uccn.toml"
    config_path.write_text(
        f"[connectors.console]\ninput = false\n\n[rooms.console.cities]\n{rooms}\n",
        encoding="utf-8",
    )
    fleet = Fleet(database_url, config_path, tmp_path, store)
    yield fleet
    for worker in fleet.workers:
        if worker.process.poll() is None:
            worker.process.send_signal(signal.SIGTERM)
    for worker in fleet.workers:
        try:
            worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.process.kill()
    store.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_workers_post_a_408_city_announcement_once_even_when_the_leader_is_killed(
    fleet: Fleet,
) -> None:
    fleet.start(3)
    _wait(lambda: any(w.leads() for w in fleet.workers), 60, "a worker leads")

    fleet.announce("all-together", seconds=3)
    _wait(lambda: len(fleet.sent("all-together")) == 408, 90, "408 posts are sent")
    time.sleep(2)  # anything doubled would show by now
    printed = Counter(room for w in fleet.workers for room in w.posts())
    assert sum(printed.values()) == 408 and len(printed) == 408  # every room once
    # Which workers sent depends on timing (the leader is woken at once, the others poll
    # each second); tests/store/test_outbox.py makes workers contend for the same rows.

    # The leader dies (SIGKILL: no clean-up) with the next announcement pending.
    fleet.announce("after-the-kill", seconds=6)
    time.sleep(1.5)  # the leader makes its job
    leader = fleet.leader()
    leader.process.kill()
    leader.process.wait()
    _wait(lambda: len(fleet.sent("after-the-kill")) == 408, 90, "408 more posts are sent")
    time.sleep(2)
    survivors = [w for w in fleet.workers if w is not leader]
    assert any(w.leads() for w in survivors)
    printed = Counter(room for w in fleet.workers for room in w.posts())
    assert set(printed.values()) == {2}  # each room: one post of each announcement
    assert len(printed) == 408


def test_workers_flag_starts_processes_that_stop_together(fleet: Fleet) -> None:
    parent, out, log = fleet.bot("workers", "--workers", "2", "--verbose")
    try:
        _wait(lambda: LEADS in log.read_text(encoding="utf-8"), 60, "a worker leads")
        _wait(
            lambda: out.read_text(encoding="utf-8").count("console: you are") == 2,
            60,
            "both workers connect",
        )
        fleet.announce("two-workers", seconds=2)
        _wait(lambda: len(fleet.sent("two-workers")) == 408, 60, "408 posts are sent")
    finally:
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=60) == 0
    printed = out.read_text(encoding="utf-8")
    assert len([line for line in printed.splitlines() if POST.match(line)]) == 408


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_dead_worker_is_started_again_and_none_outlives_the_first(fleet: Fleet) -> None:
    """Issue 24, item 5: a killed worker was a zombie nothing noticed, and killing the
    parent left its workers running."""
    import json

    port = free_port()
    with fleet.config_path.open("a", encoding="utf-8") as config:
        config.write(f"\n[http]\nport = {port}\n")
    parent, _out, log = fleet.bot("watched", "--workers", "3", "--log-format", "json")
    try:
        _wait(lambda: scrape(port, "readyz")[0] == 200, 90, "the first worker is ready")
        _wait(lambda: len(children(parent.pid)) == 2, 30, "two more workers run")
        metrics = scrape(port, "metrics")[1]
        assert metric(metrics, "uccn_workers_alive") == 3.0
        assert metric(metrics, "uccn_worker_restarts") == 0.0
        for worker_port in (port + 1, port + 2):  # one listener per worker
            _wait(lambda p=worker_port: scrape(p, "healthz")[0] == 200, 60, "workers listen")

        victim = min(children(parent.pid))
        os.kill(victim, signal.SIGKILL)
        _wait(
            lambda: (
                metric(scrape(port, "metrics")[1], "uccn_worker_restarts") == 1.0
                and len(children(parent.pid)) == 2
            ),
            60,
            "the dead worker is started again",
        )
        assert metric(scrape(port, "metrics")[1], "uccn_workers_alive") == 3.0
        workers = children(parent.pid)
        assert victim not in workers

        parent.kill()  # kill -9: no clean-up in the first worker
        parent.wait()
        _wait(lambda: not any(alive(p) for p in workers), 30, "no worker outlives it")
    finally:
        if parent.poll() is None:
            parent.kill()
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
    said = [r["message"] for r in records]
    assert any(
        m.startswith("worker ") and "exited with status -9; starting it again" in m for m in said
    )
    assert any("the process that started this worker is gone; stopping" in m for m in said)
