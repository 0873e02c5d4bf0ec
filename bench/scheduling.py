"""Scheduling figures on PostgreSQL: firing accuracy, start-up with 10,000 jobs, failover.

    python bench/scheduling.py [--database-url postgresql://postgres@127.0.0.1:5432/test]

Each part runs in its own fresh schema of the database, dropped afterwards.
- accuracy: a 408-room announcement at one moment, and a local-hour one whose hour comes
  in a few seconds in every city on Paris time, sent by a real bot through the console
  connector (printing to /dev/null); delay = the outbox row's sent_at minus its due moment.
- start-up: 10,000 announcements in the store; the time for a new worker to take the lead and
  have its scheduler running (the first leader ever plans them all; a leader after a restart
  reads one moment), and its memory.
- failover: a leader in another process (`uccn bot run`) is killed with SIGKILL; the time
  until a waiting worker leads.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from uccn_sdk.announcements.service import Announcements
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Announcement, AnnouncementState, Audience, LocalTime, Once
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.scheduler import Scheduler, Work
from uccn_sdk.store import Store, schema


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    try:
        yield (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={name}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


def network(url: str) -> tuple[Store, NetworkConfig, list[str]]:
    store = Store.open(url)
    sync_sources(store, Plugins.load().city_sources())
    with store.begin() as tx:
        template = tx.cities.require("toulouse")
        tx.cities.put_many(
            template.model_copy(update={"id": f"extra-{n:02d}", "name": f"Extra {n}"})
            for n in range(24)
        )
        cities = [c.id for c in tx.cities.find()]
    rooms = RoomMap(cities={c: f"#{c}" for c in cities}, secretariat="#secretariat")
    return store, NetworkConfig(rooms={"console": rooms}), cities


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def accuracy(url: str) -> None:
    from uccn_bot.console import ConsoleConnector

    from uccn_sdk.runtime.bot import Bot

    store, config, cities = network(url)
    print(f"accuracy: {len(cities)} cities, one console room each")
    service = Announcements(store, config)
    now = datetime.now(UTC)
    service.schedule(
        Announcement(
            id="all-at-once",
            text="hello",
            audience=Audience(everyone=True),
            schedule=Once(at=now + timedelta(seconds=8)),
        )
    )
    paris_soon = (now + timedelta(seconds=15)).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Paris")
    )
    service.schedule(
        Announcement(
            id="local-hour",
            text="hello at your hour",
            audience=Audience(everyone=True),
            schedule=LocalTime(
                at=paris_soon.time().replace(microsecond=0), day=paris_soon.date().isoformat()
            ),
        )
    )
    with open(os.devnull, "w") as sink:
        bot = Bot(store, Plugins.load(), config, [ConsoleConnector(out=sink, reads=False)])

        async def run() -> None:
            task = asyncio.create_task(bot.run())
            await asyncio.sleep(25)
            bot.stop()
            await task

        asyncio.run(run())
    t, d = schema.outbox, schema.announcement_deliveries
    with store.begin() as tx:
        rows = tx.connection.execute(
            select(t.c.announcement, t.c.sent_at, d.c.due)
            .join(d, (d.c.announcement == t.c.announcement) & (d.c.room == t.c.room))
            .where(t.c.state == "sent")
        ).all()
    for announcement in ("all-at-once", "local-hour"):
        delays = [
            (r.sent_at - r.due).total_seconds() for r in rows if r.announcement == announcement
        ]
        if not delays:
            print(f"  {announcement}: nothing sent")
            continue
        print(
            f"  {announcement}: {len(delays)} posts; delay due → sent p50 "
            f"{statistics.median(delays) * 1000:.0f} ms, p99 {percentile(delays, 0.99) * 1000:.0f}"
            f" ms, max {max(delays) * 1000:.0f} ms"
        )
    store.close()


def startup(url: str, jobs: int) -> None:
    store, config, cities = network(url)
    service = Announcements(store, config)
    start = datetime.now(UTC) + timedelta(days=1)
    began = time.perf_counter()
    for n in range(jobs):
        service.schedule(
            Announcement(
                id=f"a{n:05d}",
                text="hello",
                audience=Audience(cities=[cities[n % len(cities)]]),
                schedule=Once(at=start + timedelta(minutes=n)),
            )
        )
    print(f"start-up: {jobs} announcements stored in {time.perf_counter() - began:.1f} s")
    work = Work(fire=lambda _id: None, tick=lambda: None, digest=lambda: None)
    first = Scheduler(store, config, work)
    began = time.perf_counter()
    first.step()
    print(f"  the first leader ever (plans all {jobs}) runs in {time.perf_counter() - began:.2f} s")
    first.stop()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    second = Scheduler(store, config, work)
    began = time.perf_counter()
    second.step()
    took = time.perf_counter() - began
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with store.begin() as tx:
        scheduled = len(tx.announcements.in_state(AnnouncementState.SCHEDULED))
    print(
        f"  a new leader with {scheduled} announcements scheduled is running in {took:.2f} s "
        f"(peak RSS {rss_before:.0f} → {rss_after:.0f} MiB), next wake-up {second.sync()}"
    )
    second.stop()
    store.close()


def failover(url: str) -> None:
    store, config, _cities = network(url)
    uccn = Path(sys.executable).parent / "uccn"
    with tempfile.TemporaryDirectory() as home:
        config_path = Path(home) / "uccn.toml"
        config_path.write_text("[connectors.console]\ninput = false\n", encoding="utf-8")
        log = Path(home) / "leader.log"
        with log.open("w") as stderr:
            leader = subprocess.Popen(
                [
                    *(str(uccn), "--database-url", url, "--config", str(config_path)),
                    *("bot", "run", "-p", "console", "-v"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env={**os.environ, "UCCN_HOME": home},
            )
        deadline = time.monotonic() + 60
        while "leads the scheduler" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        work = Work(fire=lambda _id: None, tick=lambda: None, digest=lambda: None)
        follower = Scheduler(store, config, work)
        follower.step()
        assert not follower.leading, "the follower led while the leader lived"
        leader.send_signal(signal.SIGKILL)
        killed = time.perf_counter()
        leader.wait()
        while not follower.leading:
            follower.step()
            time.sleep(follower.poll)
        print(
            f"failover: a waiting worker (polling every {follower.poll:.0f} s) led "
            f"{time.perf_counter() - killed:.2f} s after the leader was killed"
        )
        follower.stop()
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--only", choices=["accuracy", "startup", "failover"])
    args = parser.parse_args()
    for name, part in (("accuracy", accuracy), ("startup", startup), ("failover", failover)):
        if args.only and args.only != name:
            continue
        with fresh_schema(args.database_url) as url:
            if name == "startup":
                startup(url, args.jobs)
            else:
                part(url)  # type: ignore[operator]


if __name__ == "__main__":
    main()
