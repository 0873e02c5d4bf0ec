"""Slack figures, against the loopback emulator the tests use (no Slack server runs offline).

    python bench/slack.py [--only ack|broadcast|fairness] [--rate 200] [--seconds 5]

The emulator runs in a process of its own, as Slack is another machine; the bot runs here.

- ack: the bot on Socket Mode with a call open in 408 channels; thread replies from the
  cities' focal points arrive at --rate events per second for --seconds; the time from the
  emulator sending each envelope to the bot's ack, p50/p99 (Slack's limit is 3 s). Every
  event is kept in the bot's inbox before it is acked.
- broadcast: a call opened to 408 channels, the emulator enforcing 1 message per second
  per channel and a workspace limit of 50 a second (burst 10), the connector pacing to the
  same; the time until every channel has its post, as a ratio to the minimum the limits
  allow ((408 - 10) / 50 s). Run twice: as is, and with a burst of 20 429s on top.
- fairness: 60 notices queued for one channel (a flood), then one post for each of the 407
  others, the emulator and the connector allowing 1 message per second per channel; the time
  until every other channel has its post, and until the flooded one has all 60.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from uccn_bot.slack.connector import SlackConnector  # noqa: E402
from uccn_bot.slack.settings import SlackSettings  # noqa: E402

from tests.slack.emulator import SlackEmulator  # noqa: E402
from uccn_sdk.calls.service import Calls  # noqa: E402
from uccn_sdk.chat.events import OutboundMessage  # noqa: E402
from uccn_sdk.chat.state import StoredState  # noqa: E402
from uccn_sdk.config import NetworkConfig, RoomMap  # noqa: E402
from uccn_sdk.directory.service import sync_sources  # noqa: E402
from uccn_sdk.models import Audience, Call, FocalPoint, Question  # noqa: E402
from uccn_sdk.plugins import Plugins  # noqa: E402
from uccn_sdk.runtime.bot import Bot  # noqa: E402
from uccn_sdk.store import Store  # noqa: E402

CHANNELS = 408
CHANNEL_IDS = [f"CB{n:04d}" for n in range(CHANNELS)]
USER_IDS = [f"UF{n:04d}" for n in range(CHANNELS)]


# -- the emulator's process ------------------------------------------------------------------


def serve(connection: Connection, options: dict[str, Any]) -> None:
    asyncio.run(_serve(connection, options))


async def _serve(connection: Connection, options: dict[str, Any]) -> None:
    emulator = SlackEmulator(**options)
    for user, channel in zip(USER_IDS, CHANNEL_IDS, strict=True):
        emulator.add_user(user, f"Focal point {user}")
        emulator.add_channel(channel, f"city-{channel}")
    await emulator.start()
    loop = asyncio.get_running_loop()
    connection.send(
        {
            "api_url": emulator.api_url,
            "bot_token": emulator.bot_token,
            "app_token": emulator.app_token,
        }
    )
    while True:
        command, arguments = await loop.run_in_executor(None, connection.recv)
        if command == "stop":
            break
        if command == "connected":
            await emulator.wait_connected(timeout=60)
            connection.send(None)
        elif command == "fail_next":
            emulator.fail_next(**arguments)
            connection.send(None)
        elif command == "posts":
            connection.send(await _posts(emulator, **arguments))
        elif command == "flooded":
            connection.send(await _flooded(emulator, **arguments))
        elif command == "load":
            connection.send(await _load(emulator, **arguments))
    await emulator.stop()


async def _posts(emulator: SlackEmulator, timeout: float) -> dict[str, Any]:
    """Wait until every channel has a post; the posts' ts and what else the emulator saw."""
    deadline = time.monotonic() + timeout
    while not all(emulator.messages.get(c) for c in CHANNEL_IDS):
        if time.monotonic() > deadline:
            raise SystemExit("the posts did not all arrive")
        await asyncio.sleep(0.01)
    return {
        "ts": {c: emulator.messages[c][0]["ts"] for c in CHANNEL_IDS},
        "doubled": sum(1 for c in CHANNEL_IDS if len(emulator.messages[c]) != 1),
        "rate_limited": emulator.rate_limited,
        "violations": len(emulator.violations),
    }


async def _flooded(emulator: SlackEmulator, count: int, timeout: float) -> float:
    """Wait until the first channel has `count` posts; when the last came (monotonic)."""
    deadline = time.monotonic() + timeout
    while len(emulator.messages.get(CHANNEL_IDS[0], [])) < count:
        if time.monotonic() > deadline:
            raise SystemExit("the flood did not all arrive")
        await asyncio.sleep(0.01)
    return time.monotonic()


async def _load(
    emulator: SlackEmulator, rate: float, seconds: float, posts: dict[str, str]
) -> dict[str, Any]:
    """Thread replies at `rate` a second; each envelope's time from sent to acked."""
    count = int(rate * seconds)
    ids = []
    start = time.monotonic()
    for n in range(count):
        channel, user = CHANNEL_IDS[n % CHANNELS], USER_IDS[n % CHANNELS]
        envelope = emulator.message_event(channel, user, f"1. {n}", posts[channel])
        ids.append(emulator.deliver("events_api", envelope))
        delay = start + (n + 1) / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
    sent = time.monotonic() - start
    deadline = time.monotonic() + 120
    while not all(i in emulator.ack_times for i in ids) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return {
        "count": count,
        "rate": count / sent,
        "latencies": [
            (emulator.ack_times[i] - emulator.sent_times[i]) * 1000
            for i in ids
            if i in emulator.ack_times
        ],
        "given_up": len(emulator.given_up),
        "redelivered": sum(1 for i in ids if emulator.envelopes[i]["retry_attempt"] > 0),
    }


class Remote:
    """The emulator's process, driven from the bot's event loop."""

    def __init__(self, **options: Any) -> None:
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=serve, args=(child, options), daemon=True)

    async def start(self) -> dict[str, str]:
        self.process.start()
        return await self._answer()

    async def ask(self, command: str, **arguments: Any) -> Any:
        self.connection.send((command, arguments))
        return await self._answer()

    async def _answer(self) -> Any:
        answer = await asyncio.get_running_loop().run_in_executor(None, self.connection.recv)
        return answer

    def stop(self) -> None:
        self.connection.send(("stop", {}))
        self.process.join(30)


# -- the bot's side --------------------------------------------------------------------------


def network(folder: Path) -> tuple[Store, Plugins, dict[str, str]]:
    """A store with 408 cities, each with a channel and a focal point on Slack."""
    store = Store.open(f"sqlite:///{folder / 'bench.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    with store.begin() as tx:
        cities = tx.cities.all()
        for n in range(CHANNELS - len(cities)):
            tx.cities.put(cities[0].model_copy(update={"id": f"extra-{n}", "name": f"X{n}"}))
        cities = tx.cities.all()[:CHANNELS]
        channels = {c.id: CHANNEL_IDS[n] for n, c in enumerate(cities)}
        for n, city in enumerate(cities):
            tx.focal_points.put(
                FocalPoint(
                    id=f"fp-{city.id}", city=city.id, name=city.name, handles={"slack": USER_IDS[n]}
                )
            )
    return store, plugins, channels


def bot_for(
    store: Store, plugins: Plugins, emulator: dict[str, str], channels: dict[str, str], **extra: Any
) -> Bot:
    config = NetworkConfig(rooms={"slack": RoomMap(cities=channels)})
    settings = SlackSettings.from_config({**emulator, **extra})
    connector = SlackConnector(settings, StoredState(store, "slack"))
    return Bot(store, plugins, config, [connector], poll=0.2)


def open_call(bot: Bot, cities: list[str]) -> None:
    Calls.of(bot.runtime).create(
        Call(
            id="survey",
            title="Annual survey",
            text="Tell us about your year.",
            questions=[Question(id="q1", prompt="How many events?", kind="number")],
            audience=Audience(cities=cities),
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
    )
    Calls.of(bot.runtime).open("survey")
    bot.wake()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def ack(rate: float, seconds: float) -> None:
    remote = Remote(channel_rate=1000, channel_burst=1000)
    emulator = await remote.start()
    with tempfile.TemporaryDirectory() as folder:
        store, plugins, channels = network(Path(folder))
        bot = bot_for(store, plugins, emulator, channels, channel_rate=1000, channel_burst=1000)
        task = asyncio.create_task(bot.run())
        await remote.ask("connected")
        open_call(bot, list(channels))
        posts = await remote.ask("posts", timeout=120)
        result = await remote.ask("load", rate=rate, seconds=seconds, posts=posts["ts"])
        latencies = result["latencies"]
        await asyncio.sleep(1)  # the last events' handling
        bot.stop()
        await task
        with store.begin() as tx:
            stored = len(tx.replies.for_call("survey"))
        print(
            f"ack: {result['count']} events at {result['rate']:.0f}/s: ack latency p50 "
            f"{percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
            f"max {max(latencies):.1f} ms; {len(latencies)} acked, {result['redelivered']} "
            f"redelivered, {result['given_up']} never acked; {stored} cities' replies stored"
        )
        store.close()
    remote.stop()


async def broadcast(burst_429: int) -> None:
    rate, burst = 50.0, 10
    remote = Remote(channel_rate=1.0, channel_burst=1, workspace_rate=rate, workspace_burst=burst)
    emulator = await remote.start()
    with tempfile.TemporaryDirectory() as folder:
        store, plugins, channels = network(Path(folder))
        bot = bot_for(
            store,
            plugins,
            emulator,
            channels,
            channel_burst=1,
            workspace_rate=rate,
            workspace_burst=burst,
        )
        task = asyncio.create_task(bot.run())
        await remote.ask("connected")
        if burst_429:
            await remote.ask("fail_next", method="chat.postMessage", times=burst_429, retry_after=1)
        start = time.monotonic()
        open_call(bot, list(channels))
        posts = await remote.ask("posts", timeout=300)
        took = time.monotonic() - start
        minimum = (CHANNELS - burst) / rate
        print(
            f"broadcast ({burst_429} forced 429s): {CHANNELS} channels in {took:.2f} s; "
            f"minimum {minimum:.2f} s; ratio {took / minimum:.3f}; 429s served "
            f"{posts['rate_limited']}; channels with other than one post {posts['doubled']}"
        )
        bot.stop()
        await task
        store.close()
    remote.stop()


async def fairness(flood: int = 60) -> None:
    remote = Remote(channel_rate=1.0, channel_burst=1)
    emulator = await remote.start()
    with tempfile.TemporaryDirectory() as folder:
        store, plugins, channels = network(Path(folder))
        bot = bot_for(store, plugins, emulator, channels, channel_burst=1)
        with store.begin() as tx:
            for n in range(flood):
                tx.outbox.enqueue(
                    f"flood:{n}",
                    "slack",
                    OutboundMessage(room=CHANNEL_IDS[0], text=f"notice {n}"),
                    kind="notice",
                )
            for channel in CHANNEL_IDS[1:]:
                tx.outbox.enqueue(
                    f"post:{channel}",
                    "slack",
                    OutboundMessage(room=channel, text="The call is open."),
                    kind="call",
                )
        start = time.monotonic()
        task = asyncio.create_task(bot.run())
        await remote.ask("posts", timeout=600)
        others = time.monotonic() - start
        flooded = await remote.ask("flooded", count=flood, timeout=600)
        print(
            f"fairness: {flood} posts queued first for one channel, then one for each of "
            f"{CHANNELS - 1} others, 1 message per second per channel: every other channel had "
            f"its post after {others:.2f} s; the flooded channel had all {flood} after "
            f"{flooded - start:.2f} s"
        )
        bot.stop()
        await task
        store.close()
    remote.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["ack", "broadcast", "fairness"])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    if args.only in (None, "ack"):
        await ack(args.rate, args.seconds)
    if args.only in (None, "broadcast"):
        await broadcast(0)
        await broadcast(20)
    if args.only in (None, "fairness"):
        await fairness()


if __name__ == "__main__":
    asyncio.run(main())
