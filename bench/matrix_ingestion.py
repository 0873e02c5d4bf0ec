"""Raw matrix-nio receive rate versus the bot's reply ingestion, for 400 cities, on one Synapse.

    python bench/matrix_ingestion.py [--cities 400] [--over 60] [--one-room]
                                     [--synapse-postgres URL] [--encrypted]

Each city has its own room, as the room map gives each city a room: its focal point and the bot
(in the raw run, the listener instead). `--one-room` puts all 400 in one room, where Synapse
works for every member on every message. The cities answer at random moments within `--over`
seconds (a minute by default: the load the network sees when a call's replies come in);
`--over 0` sends every answer at once, as fast as Synapse accepts them, which measures how much
each side can take rather than how it keeps up.

With --synapse-postgres (a server URL such as postgresql://postgres@127.0.0.1:5432/postgres,
and psycopg2 installed), Synapse keeps its data in a fresh PostgreSQL database there, as
production homeservers do, instead of SQLite; the database is dropped at the end.

1. Raw: a plain nio client syncs while 400 users each answer a post in its thread, at the
   same moments as in 2; the rate is the number of messages over the time from the first send
   to the last receipt.
2. Bot: `uccn bot run` in its own process posts the call to every room (the time it takes is
   reported); the 400 users answer the call in its thread; a reply
   counts once it is stored and its acknowledgement is sent. Reports the rate, the time from
   send to stored (p50/p99) and to acknowledged, and the bot's RSS when idle and at its peak
   (VmHWM).

3. With --encrypted, then the same in end-to-end encrypted rooms, one a city: the focal points'
   clients encrypt (matrix-nio with vodozemac) and, before the minute starts, give the bot
   their room keys as a client does before its first message (a few at a time: the bot
   publishes 50 one-time keys and more after each sync). Reports the same figures, and the
   bot's CPU a reply beside the unencrypted run's.

Each phase also reports Synapse's full (generation 2) garbage collections, from its metrics:
one stops the homeserver for a few hundred milliseconds, and every answer sent meanwhile
waits, whoever is listening.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from machine import calibration
from nio import (
    AsyncClient,
    AsyncClientConfig,
    RoomCreateResponse,
    RoomSendResponse,
    RoomVisibility,
    SyncResponse,
)
from sqlalchemy import URL, func, select
from uccn_bot.homeserver import Synapse, User
from uccn_bot.matrix.crypto import exchange_keys

from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Audience, Call, City, Designation, FocalPoint, Question
from uccn_sdk.plugins import Plugins
from uccn_sdk.store import Store, schema

CONCURRENCY = 50
SYNAPSE_DB = "uccn_bench_synapse"
WIDE = {"room": {"timeline": {"limit": 1000}}}
ENCRYPTION = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
"""The raw listener sees every message of a burst in one sync (no limited timeline)."""


def rss(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu(pid: int) -> float:
    """CPU seconds (user and system) process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def quantiles(values: list[float]) -> str:
    values = sorted(values)
    return (
        f"p50 {statistics.median(values):.0f} ms, p99 {values[int(len(values) * 0.99) - 1]:.0f} ms"
    )


def collections(synapse: Synapse) -> tuple[float, float]:
    """How many full (generation 2) garbage collections Synapse has run, and their seconds:
    each stops the homeserver, and every message sent meanwhile waits for it."""
    return (
        synapse.sample("python_gc_time_count", gen="2"),
        synapse.sample("python_gc_time_sum", gen="2"),
    )


def pauses(before: tuple[float, float], after: tuple[float, float]) -> str:
    count, seconds = after[0] - before[0], after[1] - before[1]
    return f"Synapse's full garbage collections: {count:.0f}" + (
        f" ({seconds * 1000:.0f} ms)" if count else ""
    )


async def bounded(tasks: list, limit: int = CONCURRENCY) -> list:  # type: ignore[type-arg]
    semaphore = asyncio.Semaphore(limit)

    async def run(coro):  # type: ignore[no-untyped-def]
        async with semaphore:
            return await coro

    return await asyncio.gather(*(run(t) for t in tasks))


def answer_of(n: int, root: str) -> dict[str, object]:
    """City n's answer, in the thread of the post `root`: the same event in both runs."""
    return {
        "msgtype": "m.text",
        "body": f"1. {n}",
        "m.relates_to": {"rel_type": "m.thread", "event_id": root},
    }


def moments(count: int, over: float) -> list[float]:
    """When each of `count` cities answers, in seconds from the start: at random within `over`
    seconds (the same moments in both runs), or all at once when `over` is 0."""
    if over <= 0:
        return [0.0] * count
    chance = random.Random(408)
    return sorted(chance.uniform(0, over) for _ in range(count))


async def deliver(
    send: Callable[[int, AsyncClient], Awaitable[None]],
    clients: list[AsyncClient],
    at: list[float],
) -> None:
    """Client n sends at `at[n]` seconds from now; all at once, CONCURRENCY at a time."""
    if not any(at):
        await bounded([send(n, c) for n, c in enumerate(clients)])
        return
    start = time.perf_counter()

    async def on_time(n: int, c: AsyncClient) -> None:
        await asyncio.sleep(start + at[n] - time.perf_counter())
        await send(n, c)

    await asyncio.gather(*(on_time(n, c) for n, c in enumerate(clients)))


def synapse_database(server: str | None) -> dict[str, object] | None:
    """A fresh database on `server` for Synapse (UTF-8, C collation, as it requires)."""
    if server is None:
        return None
    url = administer(
        server,
        f"DROP DATABASE IF EXISTS {SYNAPSE_DB}",
        f"CREATE DATABASE {SYNAPSE_DB} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' "
        "TEMPLATE template0",
    )
    args = {"database": SYNAPSE_DB, "host": url.host or "127.0.0.1", "port": url.port or 5432}
    args |= {"user": url.username or "postgres", "cp_min": 5, "cp_max": 10}
    if url.password:
        args["password"] = url.password
    return {"name": "psycopg2", "args": args}


def drop_synapse_database(server: str | None) -> None:
    if server is not None:
        administer(server, f"DROP DATABASE IF EXISTS {SYNAPSE_DB} WITH (FORCE)")


def administer(server: str, *statements: str) -> URL:
    """Run `statements` on the PostgreSQL `server`, outside a transaction; its URL."""
    from sqlalchemy import create_engine, make_url, text

    url = make_url(server).set(drivername="postgresql+psycopg")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()
    return url


@dataclass
class World:
    """What both of the bot's phases share."""

    folder: Path
    store: Store
    plugins: Plugins
    synapse: Synapse
    bot_user: User
    secretariat: User
    secretariat_room: str
    city_ids: list[str]


@dataclass
class Phase:
    rate: float
    """Replies stored and acknowledged a second."""
    cpu_per_reply: float
    """The bot's CPU milliseconds a reply."""


async def encrypting_clients(
    synapse: Synapse, users: list[User], folder: Path
) -> list[AsyncClient]:
    """A client that encrypts for each focal point (the same device as its plain client), with
    its keys in a folder of its own, its device keys uploaded."""
    clients = []
    for n, user in enumerate(users):
        keys = folder / "clients" / f"fp{n}"
        keys.mkdir(parents=True)
        client = AsyncClient(
            synapse.url,
            user.user_id,
            device_id=user.device_id,
            store_path=str(keys),
            config=AsyncClientConfig(store_sync_tokens=False, encryption_enabled=True),
        )
        client.restore_login(user.user_id, user.device_id, user.access_token)
        clients.append(client)
    await bounded([c.keys_upload() for c in clients])
    return clients


async def share_keys(
    clients: list[AsyncClient], rooms: list[str], bot_alive: Callable[[], None]
) -> None:
    """Each focal point's client learns its room and gives the bot its room key, as a client
    does before its first message; a few at a time, so that the bot, which publishes 50
    one-time keys, has time to publish more between them."""
    for first in range(0, len(clients), 20):
        batch = list(enumerate(clients))[first : first + 20]
        for _n, client in batch:
            await client.sync(timeout=0, full_state=True)
            await exchange_keys(client)
        await asyncio.gather(
            *(c.share_group_session(rooms[n], ignore_unverified_devices=True) for n, c in batch)
        )
        bot_alive()
        await asyncio.sleep(1.0)


async def bot_phase(
    world: World,
    call_id: str,
    rooms: list[str],
    clients: list[AsyncClient],
    schedule: list[float],
    *,
    encrypted: bool = False,
) -> Phase:
    """`uccn bot run` in its own process, with each city in `rooms`: it posts a call to every
    room, the cities answer in its thread at the moments of `schedule`; what it took."""
    from uccn_sdk.calls.answering import notice_key
    from uccn_sdk.calls.service import Calls
    from uccn_sdk.config import load_config

    folder, store, synapse, city_ids = world.folder, world.store, world.synapse, world.city_ids
    config = folder / f"{call_id}.toml"
    config.write_text(
        f'[secretariat]\nmatrix = ["{world.secretariat.user_id}"]\n'
        f'[rooms.matrix]\nsecretariat = "{world.secretariat_room}"\n'
        "[rooms.matrix.cities]\n"
        + "".join(f'{c} = "{rooms[n]}"\n' for n, c in enumerate(city_ids))
        + f'[connectors.matrix]\nhomeserver = "{synapse.url}"\n'
        f'user_id = "{world.bot_user.user_id}"\npassword = "{world.bot_user.password}"\n'
        f'allowed_inviters = ["uccn.test"]\nsync_timeout_ms = 5000\n'
        f'store_path = "{folder / "bot-keys"}"\n'
    )
    bot_process = subprocess.Popen(
        [
            *(str(Path(sys.executable).parent / "uccn"), "--database-url"),
            *(f"sqlite:///{folder / 'uccn.db'}", "--config", str(config), "bot", "run"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(folder / f"{call_id}.log").open("wb"),
    )
    assert synapse.process is not None
    synapse_pid, here = synapse.process.pid, os.getpid()
    outbox = schema.outbox

    def bot_alive() -> None:
        if bot_process.poll() is not None:
            log = (folder / f"{call_id}.log").read_text()[-2000:]
            raise RuntimeError("the bot stopped:\n" + log)

    def scalar(query):  # type: ignore[no-untyped-def]
        with store.begin() as tx:
            return tx.connection.execute(query).scalar()

    watcher = synapse.client(world.bot_user)  # asks which rooms the bot has joined
    try:
        calls = Calls(store, world.plugins, load_config(config))
        wanted = {*rooms, world.secretariat_room}
        while not wanted <= set((await watcher.joined_rooms()).rooms):
            bot_alive()
            await asyncio.sleep(0.5)
        calls.create(
            Call(
                id=call_id,
                title="Bench",
                text="Answer",
                questions=[Question(id="q1", prompt="n?", kind="number")],
                audience=Audience(cities=city_ids),
                deadline=datetime.now(UTC) + timedelta(days=1),
            )
        )
        opened = time.perf_counter()
        calls.open(call_id)

        def posted() -> dict[str, str]:
            """The call's post in each room, by room: the roots of the answers' threads."""
            with store.begin() as tx:
                found = tx.connection.execute(
                    select(outbox.c.room, outbox.c.event_id).where(
                        outbox.c.kind == "call",
                        outbox.c.call == call_id,
                        outbox.c.event_id.is_not(None),
                    )
                )
                return {row.room: row.event_id for row in found}

        while len(roots := posted()) < len(set(rooms)):
            bot_alive()
            await asyncio.sleep(0.5)
        print(
            f"the bot posted the call to {len(roots)} {'encrypted ' if encrypted else ''}rooms "
            f"in {time.perf_counter() - opened:.0f} s"
        )
        if encrypted:
            start = time.perf_counter()
            await share_keys(clients, rooms, bot_alive)
            print(f"the focal points shared their room keys in {time.perf_counter() - start:.0f} s")
        await asyncio.sleep(3)
        idle_rss, _ = rss(bot_process.pid)

        send_times: dict[str, float] = {}
        accepted_times: dict[str, float] = {}

        async def answer(n: int, c: AsyncClient) -> None:
            send_times[city_ids[n]] = time.time()
            await c.room_send(
                rooms[n],
                "m.room.message",
                answer_of(n, roots[rooms[n]]),
                ignore_unverified_devices=True,
            )
            accepted_times[city_ids[n]] = time.time()

        acked = outbox.c.kind == "notice"
        notices = select(func.count()).select_from(outbox).where(acked, outbox.c.state == "sent")
        before = scalar(notices)
        cpu_before = cpu(synapse_pid), cpu(bot_process.pid), cpu(here)
        gc_before = collections(synapse)
        started = time.perf_counter()
        sending = asyncio.create_task(deliver(answer, clients, schedule))
        while scalar(notices) < before + len(clients):
            bot_alive()
            await asyncio.sleep(0.05)
        finished = time.perf_counter()
        await sending
        bot_cpu = (
            cpu(synapse_pid) - cpu_before[0],
            cpu(bot_process.pid) - cpu_before[1],
            cpu(here) - cpu_before[2],
        )
        bot_pauses = pauses(gc_before, collections(synapse))
        _, peak_rss = rss(bot_process.pid)
        with store.begin() as tx:
            replies = tx.replies.for_call(call_id)
            found = tx.connection.execute(select(outbox.c.key, outbox.c.sent_at).where(acked))
            sent = {row.key: row.sent_at for row in found}
        stored = {r.city: r.received_at.timestamp() for r in replies}
        # A reply's acknowledgement is the notice keyed by the reply's event; SQLite gives its
        # UTC time back without the zone.
        acknowledged = {
            r.city: sent[key].replace(tzinfo=UTC).timestamp()
            for r in replies
            if r.source and (key := notice_key("matrix", r.source.event_id)) in sent
        }
        rate = len(clients) / (finished - started)
        per_reply = bot_cpu[1] / len(clients) * 1000
        print(
            f"bot{' (encrypted rooms)' if encrypted else ''}: {len(replies)} replies stored and "
            f"acknowledged in {finished - started:.2f} s: {rate:.0f} replies/s"
        )
        print(
            "send → stored "
            + quantiles([(stored[c] - send_times[c]) * 1000 for c in stored])
            + "; accepted by Synapse → stored "
            + quantiles([(stored[c] - accepted_times[c]) * 1000 for c in stored])
            + "; send → acknowledged "
            + quantiles([(acknowledged[c] - send_times[c]) * 1000 for c in acknowledged])
            + f"; CPU: Synapse {bot_cpu[0]:.1f} s, the bot {bot_cpu[1]:.1f} s "
            f"({per_reply:.1f} ms a reply), the senders {bot_cpu[2]:.1f} s; " + bot_pauses
        )
        print(f"bot RSS: idle {idle_rss:.0f} MiB, peak {peak_rss:.0f} MiB")
        return Phase(rate, per_reply)
    finally:
        bot_process.terminate()
        bot_process.wait(timeout=20)
        await watcher.close()


async def main(
    cities: int, over: float, shared_room: bool, postgres: str | None, encrypted: bool
) -> None:
    print(calibration())
    folder = Path(tempfile.mkdtemp(prefix="uccn-bench-"))
    synapse = Synapse(folder / "synapse", synapse_database(postgres), metrics=True)
    synapse.folder.mkdir()
    synapse.start()
    clients: list[AsyncClient] = []
    try:
        store = Store.open(f"sqlite:///{folder / 'uccn.db'}")
        plugins = Plugins.load()
        sync_sources(store, plugins.city_sources())
        with store.begin() as tx:
            city_ids = [c.id for c in tx.cities.find()][:cities]
            # The directory holds 384 of the 408 members: stand-ins make up the rest.
            extra = [
                City(
                    id=f"stand-in-{n}",
                    name=f"Stand-in {n}",
                    country="FR",
                    designations=[Designation(field="music", year=2025)],
                )
                for n in range(cities - len(city_ids))
            ]
            tx.cities.put_many(extra)
            city_ids += [c.id for c in extra]
        bot_user = synapse.register("uccnbot")
        secretariat = synapse.register("secretariat")
        listener_user = synapse.register("listener")
        for user in (bot_user, secretariat, listener_user):
            synapse.relax(user.user_id)
        start = time.perf_counter()
        users = [synapse.register(f"fp{n}") for n in range(len(city_ids))]
        print(f"registered {len(users)} focal points in {time.perf_counter() - start:.1f} s")
        with store.begin() as tx:
            tx.focal_points.put_many(
                FocalPoint(
                    id=f"fp{n}", city=city, name=f"FP {n}", handles={"matrix": users[n].user_id}
                )
                for n, city in enumerate(city_ids)
            )
        clients = [synapse.client(u) for u in users]
        owner = synapse.client(secretariat)
        listener = synapse.client(listener_user)
        clients += [owner, listener]

        async def room(
            name: str, invite: list[str], joiners: list[AsyncClient], encrypted: bool = False
        ) -> str:
            created = await owner.room_create(
                visibility=RoomVisibility.private,
                name=name,
                invite=invite,
                initial_state=[ENCRYPTION] if encrypted else [],
            )
            assert isinstance(created, RoomCreateResponse)
            await bounded([c.join(created.room_id) for c in joiners])
            return str(created.room_id)

        start = time.perf_counter()
        if shared_room:
            everyone = [u.user_id for u in users]
            focal_points = clients[: len(users)]
            raw = await room("raw", [listener_user.user_id, *everyone], [*focal_points, listener])
            bot = await room("bot", [bot_user.user_id, *everyone], focal_points)
            raw_rooms, bot_rooms = [raw] * len(users), [bot] * len(users)
            secretariat_room = bot_rooms[0]
        else:  # each city its own room, with its focal point (and the listener, or the bot)
            raw_rooms = await bounded(
                [
                    room(f"raw {n}", [listener_user.user_id, u.user_id], [clients[n], listener])
                    for n, u in enumerate(users)
                ],
                limit=10,
            )
            bot_rooms = await bounded(
                [
                    room(f"city {n}", [bot_user.user_id, u.user_id], [clients[n]])
                    for n, u in enumerate(users)
                ],
                limit=10,
            )
            secretariat_room = await room("secretariat", [bot_user.user_id], [])
        print(
            f"{len(set(raw_rooms)) + len(set(bot_rooms))} rooms made in "
            f"{time.perf_counter() - start:.0f} s"
        )
        schedule = moments(len(users), over)
        print(
            f"{len(users)} answers "
            + (f"at random moments within {over:.0f} s" if over > 0 else "all at once")
        )

        assert synapse.process is not None
        synapse_pid = synapse.process.pid
        # Who spends the machine's two cores: Synapse, the bot, and this process's clients.
        here = os.getpid()

        # 1. Raw nio receive rate, of the same events as the bot's: replies in a post's thread.
        async def root(room_id: str) -> tuple[str, str]:
            sent = await owner.room_send(
                room_id, "m.room.message", {"msgtype": "m.text", "body": "A call"}
            )
            assert isinstance(sent, RoomSendResponse)
            return room_id, sent.event_id

        raw_roots = dict(await bounded([root(r) for r in set(raw_rooms)], limit=10))
        first = await listener.sync(timeout=0)
        assert isinstance(first, SyncResponse)
        since, done_at = first.next_batch, 0.0
        raw_sent: dict[str, float] = {}
        raw_accepted: dict[str, float] = {}
        raw_received: dict[str, float] = {}

        async def post(n: int, c: AsyncClient) -> None:
            raw_sent[f"1. {n}"] = time.time()
            await c.room_send(raw_rooms[n], "m.room.message", answer_of(n, raw_roots[raw_rooms[n]]))
            raw_accepted[f"1. {n}"] = time.time()

        cpu_before, gc_before = (cpu(synapse_pid), cpu(here)), collections(synapse)
        sent_at = time.perf_counter()
        sending = asyncio.create_task(deliver(post, clients[: len(users)], schedule))
        while len(raw_received) < len(users):
            response = await listener.sync(timeout=5000, since=since, sync_filter=WIDE)
            assert isinstance(response, SyncResponse)
            since = response.next_batch
            now = time.time()
            for info in response.rooms.join.values():
                for e in info.timeline.events:
                    if e.source.get("type") == "m.room.message":
                        raw_received.setdefault(e.source["content"]["body"], now)
            done_at = time.perf_counter()
        await sending
        raw_cpu = cpu(synapse_pid) - cpu_before[0], cpu(here) - cpu_before[1]
        raw_pauses = pauses(gc_before, collections(synapse))
        raw_rate = len(users) / (done_at - sent_at)
        print(
            f"raw nio: {len(users)} messages received in {done_at - sent_at:.2f} s: "
            f"{raw_rate:.0f} messages/s; send → received "
            + quantiles([(raw_received[b] - raw_sent[b]) * 1000 for b in raw_received])
            + "; accepted by Synapse → received "
            + quantiles([(raw_received[b] - raw_accepted[b]) * 1000 for b in raw_received])
            + f"; CPU: Synapse {raw_cpu[0]:.1f} s, the senders and listener {raw_cpu[1]:.1f} s; "
            + raw_pauses
        )

        # 2. The bot, in its own process; 3. the same in encrypted rooms.
        world = World(
            folder, store, plugins, synapse, bot_user, secretariat, secretariat_room, city_ids
        )
        plain = await bot_phase(world, "bench", bot_rooms, clients[: len(users)], schedule)
        print(f"  ({plain.rate / raw_rate:.0%} of the raw rate)")
        if encrypted:
            e2e = await encrypting_clients(synapse, users, folder)
            clients += e2e
            start = time.perf_counter()
            e2e_rooms = await bounded(
                [
                    room(f"e2e {n}", [bot_user.user_id, u.user_id], [e2e[n]], encrypted=True)
                    for n, u in enumerate(users)
                ],
                limit=10,
            )
            print(f"{len(e2e_rooms)} encrypted rooms made in {time.perf_counter() - start:.0f} s")
            sealed = await bot_phase(world, "bench-e2e", e2e_rooms, e2e, schedule, encrypted=True)
            print(
                f"  encrypted: bot CPU {sealed.cpu_per_reply:.1f} ms a reply, "
                f"{sealed.cpu_per_reply / plain.cpu_per_reply:.2f}× the unencrypted "
                f"{plain.cpu_per_reply:.1f} ms"
            )
        store.close()
    finally:
        for c in clients:
            await c.close()
        synapse.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=400)
    parser.add_argument(
        "--over",
        type=float,
        default=60,
        metavar="SECONDS",
        help="The cities answer within this many seconds; 0 sends every answer at once.",
    )
    parser.add_argument(
        "--one-room",
        action="store_true",
        help="All cities in one room (every message then reaches 400 members), not one each.",
    )
    parser.add_argument("--synapse-postgres", metavar="URL", help="Synapse on PostgreSQL there.")
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="Then the same in end-to-end encrypted rooms, the focal points' clients encrypting.",
    )
    args = parser.parse_args()
    try:
        asyncio.run(
            main(args.cities, args.over, args.one_room, args.synapse_postgres, args.encrypted)
        )
    finally:
        drop_synapse_database(args.synapse_postgres)
