"""The real `uccn bot run`, on PostgreSQL and Synapse, through what breaks bots in the field: a
poison event, the database going away, and kill -9. Every good reply is stored once, and the
process either recovers or exits non-zero for its service manager to start it again; it never
exits 0 while there is work."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from nio import AsyncClient, RoomCreateResponse, RoomVisibility
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from uccn_bot.homeserver import Synapse

from tests.bot.conftest import client_for
from tests.bot.test_matrix_calls import send, thread
from tests.conftest import POSTGRES_URL, _postgres_or_skip
from tests.processes import alive, children, free_port, metric, scrape
from tests.waiting import eventually, until
from uccn_sdk.calls.service import Calls
from uccn_sdk.config import load_config
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Audience, Call, FocalPoint, Question
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store

pytestmark = [pytest.mark.asyncio, pytest.mark.postgresql]

UCCN = Path(sys.executable).parent / "uccn"
CITIES = 12


@dataclass
class Service:
    """`uccn bot run` as a service manager runs it: started again when it exits non-zero."""

    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    exits: list[int] = field(default_factory=list)

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=self.env
            )

    def watch(self) -> None:
        """Start it again if it stopped; a stop with status 0 is a failure of the test."""
        assert self.process is not None
        code = self.process.poll()
        if code is None:
            return
        self.exits.append(code)
        assert code != 0, f"the bot exited 0 with work in hand:\n{self.log.read_text()}"
        self.start()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Database:
    """A database of its own on the PostgreSQL server, so that it can be taken away."""

    name: str
    url: str
    admin: Engine

    def outage(self) -> None:
        """Refuse new connections and end the open ones, as a failover or a restart does."""
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )

    def back(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))


@pytest.fixture
def database() -> Iterator[Database]:
    _postgres_or_skip()
    name = f"uccn_faults_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield Database(name, url, admin)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Network:
    store: Store
    room: str
    people: list[AsyncClient]
    cities: list[str]
    service: Service
    config: Path


@pytest_asyncio.fixture
async def network(synapse: Synapse, database: Database, tmp_path: Path) -> AsyncIterator[Network]:
    suffix = uuid.uuid4().hex[:6]
    bot = synapse.register(f"faultbot-{suffix}")
    synapse.relax(bot.user_id)  # a dozen acknowledgements at once
    secretariat = synapse.register(f"faultsec-{suffix}")
    store = Store.open(database.url)
    sync_sources(store, Plugins.load().city_sources())
    with store.begin() as tx:
        cities = [c.id for c in tx.cities.find()][:CITIES]
    people = []
    for city in cities:
        user = synapse.register(f"fault-{city}-{suffix}")
        with store.begin() as tx:
            tx.focal_points.put(
                FocalPoint(id=f"fp-{city}", city=city, name=city, handles={"matrix": user.user_id})
            )
        people.append(await client_for(synapse, user))
    boss = await client_for(synapse, secretariat)
    created = await boss.room_create(
        visibility=RoomVisibility.private,
        name="Faults",
        invite=[bot.user_id, *(p.user_id for p in people)],
    )
    assert isinstance(created, RoomCreateResponse), created
    room = str(created.room_id)
    for person in people:
        await person.join(room)
    rooms = "\n".join(f'"{city}" = "{room}"' for city in cities)
    config = tmp_path / "uccn.toml"
    config.write_text(
        f"""secretariat = {{ matrix = ["{secretariat.user_id}"] }}

[connectors.matrix]
homeserver = "{synapse.url}"
user_id = "{bot.user_id}"
password = "{bot.password}"
device_id = "UCCNFAULTS"
allowed_inviters = ["uccn.test"]
sync_timeout_ms = 500
retry_seconds = 0.5

[rooms.matrix.cities]
{rooms}
""",
        encoding="utf-8",
    )
    config.chmod(0o600)
    calls = Calls(store, Plugins.load(), load_config(config))
    calls.create(
        Call(
            id="survey",
            title="Survey",
            text="How many events this year?",
            questions=[Question(id="q1", prompt="Events?", kind="number")],
            audience=Audience(cities=cities),
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
    )
    calls.open("survey")
    service = Service(
        [
            *(str(UCCN), "--database-url", database.url, "--config", str(config)),
            *("bot", "run", "--platform", "matrix", "--verbose"),
        ],
        {**os.environ, "UCCN_HOME": str(tmp_path)},
        tmp_path / "bot.log",
    )
    try:
        yield Network(store, room, people, cities, service, config)
    finally:
        service.stop()
        for client in [*people, boss]:
            await client.close()
        store.close()


def stored(network: Network) -> dict[str, tuple[object, int]]:
    """Each city's stored answer to q1, with how many earlier versions it has."""
    with network.store.begin() as tx:
        return {
            r.city: (r.answers.get("q1"), len(r.history)) for r in tx.replies.for_call("survey")
        }


async def test_poison_outage_and_kill_9_lose_and_double_no_reply(
    network: Network, database: Database
) -> None:
    service, people, room = network.service, network.people, network.room
    service.start()

    async def call_post() -> str | None:
        service.watch()
        return await posted(people[0], room)

    post = await eventually(call_post, timeout=60)

    async def reply(index: int, body: str | None = None) -> None:
        await send(people[index], room, thread(post, body or f"1. {index + 1}"))

    for index in range(3):  # replies as usual
        await reply(index)
    await reply(3, "1. 4\x00")  # a poison event: NUL cannot be stored in PostgreSQL as it is

    database.outage()  # the database goes away for a few seconds, replies keep coming
    for index in range(4, 7):
        await reply(index)
    await asyncio.sleep(5)
    service.watch()
    database.back()

    for index in range(7, 9):
        await reply(index)
    service.kill()  # kill -9 while those are being handled
    service.start()
    for index in range(9, CITIES):
        await reply(index)

    def all_stored() -> bool:
        service.watch()
        return len(stored(network)) == CITIES

    await until(all_stored, timeout=120)
    expected = {city: (float(n + 1), 0) for n, city in enumerate(network.cities)}
    assert stored(network) == expected  # each good reply, once, with no second version
    service.watch()
    assert service.process is not None and service.process.poll() is None  # still running
    log = service.log.read_text(encoding="utf-8", errors="replace")
    assert service.exits == []  # the outage was waited out, not a reason to stop
    assert "Traceback" in log  # the outage was logged with its traceback, not swallowed


async def test_two_watched_workers_on_matrix_and_postgresql(network: Network) -> None:
    """Issue 24, done when: the real `uccn bot run --workers 2` on PostgreSQL and Synapse, its
    /readyz and /metrics scraped, a worker killed (started again; the metrics say so), the
    parent killed (no worker left), and the JSON log read."""
    service, people, room = network.service, network.people, network.room
    port = free_port()
    with network.config.open("a", encoding="utf-8") as config:
        config.write(f"\n[http]\nport = {port}\n")
    service.command = [
        *service.command[: service.command.index("--verbose")],
        *("--workers", "2", "--log-format", "json"),
    ]
    service.start()
    assert service.process is not None
    parent = service.process.pid

    def ready(worker_port: int) -> bool:
        assert service.process is not None and service.process.poll() is None, service.log
        return scrape(worker_port, "readyz")[0] == 200

    await until(lambda: ready(port) and ready(port + 1), timeout=90)
    (child,) = children(parent)
    _, first = scrape(port, "metrics")
    assert metric(first, 'uccn_connector_up{platform="matrix"}') == 1.0
    assert metric(first, "uccn_workers_alive") == 2.0
    assert metric(first, "uccn_worker_restarts") == 0.0

    post = await eventually(lambda: posted(people[0], room), timeout=60)
    await send(people[0], room, thread(post, "1. 1"))
    await until(lambda: len(stored(network)) == 1, timeout=60)

    def replies() -> float | None:
        return metric(scrape(port, "metrics")[1], 'uccn_replies{call="survey"}')

    await until(lambda: replies() == 1.0, timeout=30)
    received = [
        metric(scrape(p, "metrics")[1], 'uccn_events_received_total{platform="matrix"}') or 0.0
        for p in (port, port + 1)
    ]
    assert received[0] >= 1.0
    # The encryption keys are one process's: the first worker runs Matrix, the other not.
    second_worker = scrape(port + 1, "metrics")[1]
    assert metric(second_worker, 'uccn_connector_up{platform="matrix"}') is None

    os.kill(child, signal.SIGKILL)

    def restarted() -> bool:
        metrics = scrape(port, "metrics")[1]
        return metric(metrics, "uccn_worker_restarts") == 1.0 and len(children(parent)) == 1

    await until(restarted, timeout=60)
    await until(lambda: ready(port + 1), timeout=90)  # the new worker syncs again
    assert metric(scrape(port, "metrics")[1], "uccn_workers_alive") == 2.0
    (second,) = children(parent)
    assert second != child
    await send(people[1], room, thread(post, "1. 2"))
    await until(lambda: len(stored(network)) == 2, timeout=60)

    service.kill()  # kill -9: the first worker cannot stop the others itself
    await until(lambda: not alive(second), timeout=30)

    records = [json.loads(line) for line in service.log.read_text("utf-8").splitlines() if line]
    assert {"time", "level", "logger", "worker", "pid", "message"} <= set(records[0])
    assert {r["pid"] for r in records} >= {parent, child, second}
    assert {r["worker"] for r in records} == {"uccn-worker-0", "uccn-worker-1"}
    said = [str(r["message"]) for r in records]
    assert any(f"worker 1 (pid {child}) exited with status -9; starting it" in m for m in said)
    assert any("the process that started this worker is gone; stopping" in m for m in said)
    assert any(
        m == "matrix runs in the first worker only (its state is one process's)" for m in said
    )
    about = [r for r in records if "event" in r]
    assert about and all(r["platform"] == "matrix" and r["room"] == room for r in about)
    stored_lines = [r for r in about if str(r["message"]).endswith(": stored")]
    assert len(stored_lines) == 2 and all(r["call"] == "survey" for r in stored_lines)
    assert stored(network) == {network.cities[0]: (1.0, 0), network.cities[1]: (2.0, 0)}


async def posted(person: AsyncClient, room: str) -> str | None:
    """The event id of the bot's post of the survey in `room`, once it is there."""
    response = await person.room_messages(room, start="", limit=50)
    for event in getattr(response, "chunk", []):
        body = event.source.get("content", {}).get("body", "")
        if "Survey" in body and event.source.get("sender", "").startswith("@faultbot"):
            return str(event.source["event_id"])
    return None
