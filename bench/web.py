"""The web console's pages, rendered on the server over real HTTP on loopback.

The call page: a call to every member city (405, and 3 more made up to reach 408) with 10,000
answers in its replies' history, every city answered; p50 and p99 of the whole page (its map
included) over 100 requests, and of the map alone. With `--directory N`: the directory's first
page, and a filtered one, with N cities in the store.

    python bench/web.py [--requests 100] [--directory 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from machine import calibration
from uccn_web.app import SESSION_COOKIE, application
from uccn_web.worldmap import Dot, world_map

from uccn_sdk.chat.events import Sender
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import Audience, Call, CallState, City, Question, Reply, Revision
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.context import Runtime
from uccn_sdk.store import Store

HISTORY = 10_000


def network(folder: Path) -> Runtime:
    store = Store.open(f"sqlite:///{folder / 'bench.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    now = datetime.now(UTC)
    with store.begin() as tx:
        lyon = tx.cities.require("lyon")
        extra = [
            lyon.model_copy(update={"id": f"extra-{n}", "name": f"Extra {n}"}) for n in range(3)
        ]
        tx.cities.put_many(extra)
        cities: list[City] = list(tx.cities.all())
        call = Call(
            id="survey",
            title="Annual survey",
            text="Tell us about your year.",
            questions=[
                Question(id="q1", prompt="Events?", kind="number"),
                Question(id="q2", prompt="Best project?"),
            ],
            audience=Audience(everyone=True),
            deadline=now + timedelta(days=10),
            state=CallState.OPEN,
        )
        tx.calls.put(call)
        per_city = HISTORY // len(cities) + 1
        for city in cities:
            history = [
                Revision(
                    text=f"1. {n}\n2. Festival {n}",
                    answers={"q1": n, "q2": f"Festival {n}"},
                    at=now,
                )
                for n in range(per_city)
            ]
            tx.replies.put(
                Reply(
                    call="survey",
                    city=city.id,
                    author=f"@{city.id}:uccn.test",
                    text="1. 12\n2. Festival",
                    answers={"q1": 12.0, "q2": "Festival"},
                    history=history,
                )
            )
        session = tx.signins.start(Sender("matrix", "@sec:uccn.test"), now, timedelta(hours=1))
    config = NetworkConfig(
        rooms={"matrix": RoomMap(secretariat="!sec")}, secretariat={"matrix": ["@sec:uccn.test"]}
    )
    runtime = Runtime(store, plugins, config)
    runtime.keep(str, lambda: session)  # the session id, for the requests
    return runtime


def figures(label: str, times: list[float]) -> str:
    times = sorted(times)
    p99 = times[min(len(times) - 1, round(len(times) * 0.99) - 1)]
    return (
        f"{label:34s} p50 {statistics.median(times) * 1000:6.1f} ms  "
        f"p99 {p99 * 1000:6.1f} ms  ({len(times)} runs)"
    )


async def main(requests: int, directory: int) -> None:
    print(calibration())
    with tempfile.TemporaryDirectory() as folder:
        runtime = network(Path(folder))
        session = runtime.keep(str, lambda: "")
        with runtime.store.begin() as tx:
            cities = list(tx.cities.all())
            kept = sum(len(r.history) for r in tx.replies.for_call("survey"))
        print(f"{len(cities)} cities asked, all answered, {kept:,} answers in the history")
        async with TestClient(TestServer(application(runtime))) as client:
            client.session.cookie_jar.update_cookies({SESSION_COOKIE: session})
            page = ""
            times = []
            for _ in range(requests + 3):
                start = time.perf_counter()
                response = await client.get("/calls/survey")
                page = await response.text()
                times.append(time.perf_counter() - start)
                assert response.status == 200, page[:300]
            print(figures("call page (HTTP, map included)", times[3:]))
            print(f"{'':34s} {len(page.encode()) / 1024:.0f} KiB of HTML")
        dots = [Dot.of(city, "answered") for city in cities]
        labels = {"answered": "answered", "reminded": "reminded", "waiting": "waiting"}
        drawn = []
        for _ in range(requests):
            start = time.perf_counter()
            world_map(dots, title="Who answered", labels=labels)
            drawn.append(time.perf_counter() - start)
        print(figures("the map alone (408 dots)", drawn))
        if directory:
            await _directory(runtime, session, directory, requests)
        runtime.store.close()


async def _directory(runtime: Runtime, session: str, size: int, requests: int) -> None:
    with runtime.store.begin() as tx:
        model = tx.cities.require("lyon")
        have = len(tx.cities.all())
        tx.cities.put_many(
            model.model_copy(update={"id": f"city-{n}", "name": f"City {n:06d}"})
            for n in range(size - have)
        )
    async with TestClient(TestServer(application(runtime))) as client:
        client.session.cookie_jar.update_cookies({SESSION_COOKIE: session})
        for label, path in (
            (f"directory, first page ({size:,} cities)", "/cities"),
            ("directory, region and name filtered", "/cities?region=africa&q=ka"),
            ("directory, by field (its designations)", "/cities?field=literature"),
        ):
            times = []
            for _ in range(min(requests, 20)):
                start = time.perf_counter()
                response = await client.get(path)
                await response.text()
                times.append(time.perf_counter() - start)
            print(figures(label, times))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--directory", type=int, default=0, help="cities in the directory run")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.directory))
