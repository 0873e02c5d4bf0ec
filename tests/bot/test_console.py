"""The console connector: try the bot in a terminal with no account."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from uccn_bot.console import ConsoleConnector

from uccn_sdk.chat.events import Edit, Message, Reaction
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.matching.service import Matching
from uccn_sdk.models import FocalPoint
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.bot import Bot
from uccn_sdk.store import Store


def run_until(bot: Bot, done: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Run `bot` until `done()` holds or `seconds` pass, then stop it; whether it was still
    running at that moment."""

    async def run() -> bool:
        task = asyncio.create_task(bot.run())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not done() and loop.time() < deadline:
            await asyncio.sleep(0.05)
        running = not task.done()
        bot.stop()
        await task
        return running

    return asyncio.run(run())


def test_typed_lines_become_events() -> None:
    console = ConsoleConnector(out=io.StringIO())
    message = console.parse("call list")
    assert isinstance(message, Message) and message.direct and message.text == "call list"
    thread = console.parse("/thread 1 1. 12")
    assert isinstance(thread, Message) and thread.thread_root == message.event_id
    edit = console.parse("/edit 2 1. 13")
    assert isinstance(edit, Edit) and edit.target == thread.event_id
    assert isinstance(console.parse("/react 1 👍"), Reaction)
    assert console.parse("/thread 99 nothing") is None
    assert "there is no message #99" in console.out.getvalue()  # type: ignore[attr-defined]
    assert console.parse("/quit") == "quit"


def test_a_call_answered_in_the_console(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'console.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    with store.begin() as tx:
        tx.focal_points.put(
            FocalPoint(id="ana", city="lyon", name="Ana", handles={"console": "ana"})
        )
    out = io.StringIO()
    config = NetworkConfig(
        rooms={"console": RoomMap(cities={"lyon": "console"})},
        secretariat={"console": ["secretariat"]},
    )
    console = ConsoleConnector(out=out)
    bot = Bot(store, plugins, config, [console])

    async def type_line(line: str) -> None:
        event = console.parse(line)
        if event is not None and not isinstance(event, str):
            await bot.handle(event)
        await bot.flush()

    async def session() -> None:
        await console.connect()
        await type_line(
            "call new survey deadline=2099-01-01T12:00+01:00 audience=city:lyon "
            'title=Survey text="Tell us"'
        )
        await type_line("call open survey")
        post = re.findall(r"\[#(\d+) bot → console\]\n📣", out.getvalue())[0]
        await type_line("/as ana")
        await type_line(f"/thread {post} 12 events")
        await type_line("/as secretariat")
        await type_line("call status survey")

    asyncio.run(session())
    text = out.getvalue()
    assert "Call survey saved as a draft" in text
    assert "📣 Survey" in text
    assert "Recorded the answer of Lyon" in text
    assert "Survey: 1 of 1 cities answered (100%)." in text
    store.close()


def test_bot_run_without_a_connector_says_what_to_do(uccn) -> None:  # type: ignore[no-untyped-def]
    result = uccn("bot", "run")
    assert result.code == 1
    assert "no connector to run" in result.err and "--platform console" in result.err


def test_a_scheduled_announcement_is_posted_by_the_running_bot_and_reported_to_plugins(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime, timedelta

    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.models import Announcement, Audience, Once

    sent: list[tuple[str, str | None]] = []

    class Listener:
        def uccn_announcement_sent(self, announcement: Announcement, city: str | None) -> None:
            sent.append((announcement.id, city))

    store = Store.open(f"sqlite:///{tmp_path / 'console.db'}")
    plugins = Plugins.load(extra=[("listener", Listener())])
    sync_sources(store, plugins.city_sources())
    config = NetworkConfig(rooms={"console": RoomMap(cities={"lyon": "#lyon", "metz": "#metz"})})
    Announcements(store, config).schedule(
        Announcement(
            id="soon",
            text="Hello @everyone, see you soon",
            audience=Audience(cities=["lyon", "metz"]),
            schedule=Once(at=datetime.now(UTC) + timedelta(seconds=2)),
        )
    )
    out = io.StringIO()
    bot = Bot(store, plugins, config, [ConsoleConnector(out=out, reads=False)], poll=0.2)

    run_until(bot, lambda: len(sent) == 2)
    printed = out.getvalue()
    assert "bot → #lyon]" in printed and "bot → #metz]" in printed
    assert "@everyone" not in printed  # a mass mention never reaches a room
    assert sorted(sent) == [("soon", "lyon"), ("soon", "metz")]
    store.close()


def test_an_async_listener_hears_of_an_announcement_as_it_is_sent(tmp_path: Path) -> None:
    """Its awaitable runs at once: before, it waited for the next event, tick or shutdown."""
    from datetime import UTC, datetime, timedelta

    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.models import Announcement, Audience, Once

    heard: list[str | None] = []

    class AsyncListener:
        def uccn_announcement_sent(self, announcement: Announcement, city: str | None) -> object:
            async def report() -> None:
                await asyncio.sleep(0)
                heard.append(city)

            return report()

    store = Store.open(f"sqlite:///{tmp_path / 'console.db'}")
    plugins = Plugins.load(extra=[("listener", AsyncListener())])
    sync_sources(store, plugins.city_sources())
    config = NetworkConfig(rooms={"console": RoomMap(cities={"lyon": "#lyon"})})
    Announcements(store, config).schedule(
        Announcement(
            id="soon",
            text="Hello",
            audience=Audience(cities=["lyon"]),
            schedule=Once(at=datetime.now(UTC) + timedelta(seconds=2)),
        )
    )
    bot = Bot(store, plugins, config, [ConsoleConnector(out=io.StringIO(), reads=False)], poll=0.2)
    while_running: list[str | None] = []

    def heard_while_running() -> bool:
        while_running[:] = heard
        return bool(heard)

    run_until(bot, heard_while_running, seconds=10)
    assert while_running == ["lyon"]
    store.close()


def test_the_matching_index_is_built_as_the_bot_starts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """So that a focal point's first "match" does not wait for it."""
    caplog.set_level(logging.INFO, logger="uccn.matching")
    store = Store.open(f"sqlite:///{tmp_path / 'warm.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    bot = Bot(store, plugins, NetworkConfig(), [ConsoleConnector(out=io.StringIO(), reads=False)])

    run_until(bot, lambda: "matching index built" in caplog.text, seconds=30)
    with store.begin() as tx:
        cities = tx.cities.count()
    assert f"matching index built over {cities} cities" in caplog.text
    warmed = Matching.of(bot.runtime)._matcher
    # the first question uses it
    assert warmed is not None and Matching.of(bot.runtime).matcher() is warmed
    store.close()


def test_a_failed_index_build_at_start_is_logged_and_the_bot_runs_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'warm.db'}")
    out = io.StringIO()
    bot = Bot(store, Plugins.load(), NetworkConfig(), [ConsoleConnector(out=out, reads=False)])

    def broken(**_: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Matching.of(bot.runtime), "matcher", broken)

    running = run_until(bot, lambda: "building the matching index at start failed" in caplog.text)
    assert running  # the bot was still running when the failure was logged
    assert "the disk is full" in caplog.text
    store.close()


def test_a_console_bot_stops_on_sigterm_while_its_terminal_is_open(tmp_path: Path) -> None:
    """It waited for a line that never came: the read held the loop's executor at shutdown."""
    import os
    import signal
    import subprocess
    import sys

    uccn = Path(sys.executable).parent / "uccn"
    bot = subprocess.Popen(
        [
            *(str(uccn), "--database-url", f"sqlite:///{tmp_path / 'bot.db'}"),
            *("bot", "run", "-p", "console"),
        ],
        stdin=subprocess.PIPE,  # open, and nothing typed
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "UCCN_HOME": str(tmp_path)},
    )
    try:
        assert bot.stdout is not None
        while "Ctrl-C stops it" not in (line := bot.stdout.readline()):
            assert line, "the bot ended before running"
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=20) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
