"""The whole story of a call, on a throwaway Synapse: `uccn bot demo`.

It starts Synapse on loopback, registers the bot, the Secretariat and three focal points,
lets the Secretariat write and open calls in chat, lets the cities answer (a thread reply, a
bad answer corrected by an edit, a reaction, someone not linked), closes the calls, prints the
summaries and an export, and stops everything. Nothing outside a temporary folder is touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomVisibility,
)
from rich.console import Console

from uccn_bot.homeserver import Synapse, User
from uccn_bot.matrix.connector import MatrixConnector, MatrixSettings
from uccn_bot.matrix.polls import END, START, TEXT
from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.parsing import KEYCAPS
from uccn_sdk.chat.state import StoredState
from uccn_sdk.config import NetworkConfig, RoomMap
from uccn_sdk.directory.service import sync_sources
from uccn_sdk.models import FocalPoint
from uccn_sdk.plugins import Plugins
from uccn_sdk.runtime.bot import Bot
from uccn_sdk.store import Store

console = Console(highlight=False)


class Person:
    def __init__(self, name: str, user: User, client: AsyncClient) -> None:
        self.name, self.user, self.client = name, user, client

    async def say(self, room: str, body: str, relates: dict[str, Any] | None = None) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": body}
        if relates:
            content["m.relates_to"] = relates
        console.print(f"  [bold]{self.name}[/]: ", end="")
        console.print(body, markup=False)
        response = await self.client.room_send(room, "m.room.message", content)
        return str(response.event_id)

    async def answer(self, room: str, root: str, body: str) -> str:
        return await self.say(
            room,
            body,
            {
                "rel_type": "m.thread",
                "event_id": root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": root},
            },
        )

    async def edit(self, room: str, original: str, body: str) -> None:
        console.print(f"  [bold]{self.name}[/] edits their answer: ", end="")
        console.print(body, markup=False)
        await self.client.room_send(
            room,
            "m.room.message",
            {
                "msgtype": "m.text",
                "body": f"* {body}",
                "m.new_content": {"msgtype": "m.text", "body": body},
                "m.relates_to": {"rel_type": "m.replace", "event_id": original},
            },
        )

    async def vote(self, room: str, poll: str, answer: str, label: str) -> None:
        console.print(f"  [bold]{self.name}[/] votes “{label}” in the poll")
        await self.client.room_send(
            room,
            RESPONSE,
            {
                "m.relates_to": {"rel_type": "m.reference", "event_id": poll},
                RESPONSE: {"answers": [answer]},
            },
        )

    async def react(self, room: str, target: str, key: str) -> None:
        console.print(f"  [bold]{self.name}[/] reacts {key}")
        await self.client.room_send(
            room,
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}},
        )


RESPONSE = "org.matrix.msc3381.poll.response"
"""A vote in a poll, as Element sends it (MSC3381)."""


class Watcher:
    """Prints what the bot posts in a room, as the people there see it."""

    def __init__(self, client: AsyncClient, bot: str, room: str, label: str) -> None:
        self.client, self.bot, self.room, self.label = client, bot, room, label
        self.seen: set[str] = set()

    async def new(self) -> list[dict[str, Any]]:
        response = await self.client.room_messages(self.room, start="", limit=100)
        if not isinstance(response, RoomMessagesResponse):
            return []
        fresh = [
            e.source
            for e in reversed(response.chunk)
            if e.source.get("sender") == self.bot
            and e.source.get("type") in ("m.room.message", "m.reaction", START, END)
            and e.event_id not in self.seen
        ]
        self.seen.update(e["event_id"] for e in fresh)
        return fresh

    async def show(self, wait_for: int = 1, timeout: float = 20) -> list[dict[str, Any]]:
        shown: list[dict[str, Any]] = []
        deadline = asyncio.get_running_loop().time() + timeout
        while len(shown) < wait_for and asyncio.get_running_loop().time() < deadline:
            for event in await self.new():
                shown.append(event)
                content = event["content"]
                if event["type"] == "m.reaction":
                    console.print(f"  [green]bot[/] reacts {content['m.relates_to']['key']}")
                elif event["type"] == START:  # a one-choice call: a poll, as Element shows it
                    poll = content[START]
                    choices = " / ".join(a[TEXT] for a in poll["answers"])
                    console.print(f"  [green]bot → {self.label} (a poll)[/]: ", end="")
                    console.print(f"{poll['question'][TEXT]}  [{choices}]", markup=False)
                else:
                    text = content.get("body", "").replace("\n", "\n      ")
                    where = " (in the thread)" if "m.relates_to" in content else ""
                    console.print(f"  [green]bot → {self.label}{where}[/]: ", end="")
                    console.print(text, markup=False)
            if len(shown) < wait_for:
                await asyncio.sleep(0.2)
        return shown


def step(text: str) -> None:
    console.print(f"\n[bold cyan]▶ {text}[/]")


async def wait(check: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := check()):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the demo waited too long for the bot")
        await asyncio.sleep(0.1)
    return value


async def demo(folder: Path) -> NetworkConfig:
    """Play the story; the network's configuration, for the web console that may follow."""
    step("Starting a throwaway Synapse homeserver on loopback")
    synapse = Synapse(folder / "synapse")
    synapse.folder.mkdir()
    await asyncio.to_thread(synapse.start)
    console.print(f"  Synapse answers at {synapse.url}")
    clients: list[AsyncClient] = []
    tasks: list[asyncio.Task[None]] = []
    try:
        return await _story(synapse, folder, clients, tasks.append)
    finally:
        for client in clients:
            await client.close()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        await asyncio.to_thread(synapse.stop)
        step("Stopped the bot and Synapse")


async def _story(
    synapse: Synapse,
    folder: Path,
    clients: list[AsyncClient],
    keep: Callable[[asyncio.Task[None]], None],
) -> NetworkConfig:
    step("Registering the bot, the Secretariat and the focal points of Lyon, Bologna and Kisumu")
    users = {
        name: synapse.register(name)
        for name in ("uccnbot", "secretariat", "ana", "bo", "kemi", "mallory")
    }
    for name in ("uccnbot", "secretariat"):
        synapse.relax(users[name].user_id)
    people: dict[str, Person] = {}
    for name, user in users.items():
        client = synapse.client(user)
        clients.append(client)
        people[name] = Person(name.title(), user, client)
    bot_id = users["uccnbot"].user_id

    store = Store.open(f"sqlite:///{folder / 'uccn.db'}")
    plugins = Plugins.load()
    sync_sources(store, plugins.city_sources())
    with store.begin() as tx:
        tx.focal_points.put(
            FocalPoint(
                id="ana",
                city="lyon",
                name="Ana",
                handles={"matrix": users["ana"].user_id},
                language="fr",
            )
        )
        tx.focal_points.put(
            FocalPoint(id="bo", city="bologna", name="Bo", handles={"matrix": users["bo"].user_id})
        )
    console.print(
        "  Ana (French) answers for Lyon, Bo for Bologna; Kemi of Kisumu is not linked yet."
    )

    step("The Secretariat opens rooms: one for Lyon, one for the Music sub-network, its own")
    secretariat = people["secretariat"]

    async def room(name: str, members: list[str]) -> str:
        created = await secretariat.client.room_create(
            visibility=RoomVisibility.private,
            name=name,
            invite=[bot_id, *(users[m].user_id for m in members)],
        )
        assert isinstance(created, RoomCreateResponse)
        for member in members:
            await people[member].client.join(created.room_id)
        return str(created.room_id)

    lyon_room = await room("Lyon", ["ana"])
    music_room = await room("Music sub-network", ["bo", "kemi", "mallory"])
    office = await room("UCCN Secretariat", [])
    config = NetworkConfig(
        rooms={
            "matrix": RoomMap(
                cities={"lyon": lyon_room}, fields={"music": music_room}, secretariat=office
            )
        },
        secretariat={"matrix": [users["secretariat"].user_id]},
    )
    connector = MatrixConnector(
        MatrixSettings(
            homeserver=synapse.url,
            user_id=bot_id,
            password=users["uccnbot"].password,
            allowed_inviters=["uccn.test"],
            sync_timeout_ms=1000,
            store_path=str(folder / "matrix-keys"),
        ),
        StoredState(store, "matrix"),
    )
    bot = Bot(store, plugins, config, [connector])
    keep(asyncio.create_task(bot.run()))
    await wait(lambda: {lyon_room, music_room, office} <= set(connector.client.rooms))
    console.print("  The bot accepted the invitations and joined the three rooms.")

    watch_office = Watcher(secretariat.client, bot_id, office, "Secretariat")
    watch_lyon = Watcher(people["ana"].client, bot_id, lyon_room, "Lyon")
    watch_music = Watcher(people["bo"].client, bot_id, music_room, "Music")

    step("Kemi asks to be linked to Kisumu; the Secretariat approves")
    await people["kemi"].say(music_room, "!uccn iam kisumu")
    await watch_music.show()
    await watch_office.show()
    await secretariat.say(office, f"!uccn link approve {users['kemi'].user_id} kisumu")
    await watch_office.show()

    step("The Secretariat writes two calls in chat and opens them")
    deadline = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0).isoformat()
    await secretariat.say(
        office,
        f"!uccn call new survey-2026 deadline={deadline} "
        'audience=city:lyon,field:music title="Annual survey"\n'
        "Tell the network about your year.\n"
        "Q: How many events did you host? [number]\n"
        "Q: Your proudest project?",
    )
    await watch_office.show()
    await secretariat.say(
        office,
        f'!uccn call new forum-2027 deadline={deadline} audience=field:music title="Music forum"\n'
        "Will your city come to the 2027 forum?\nQ: Coming? [choice: yes | no]",
    )
    await watch_office.show()
    await secretariat.say(office, "!uccn call open survey-2026")
    await secretariat.say(office, "!uccn call open forum-2027")
    await watch_office.show(2)
    lyon_posts = await watch_lyon.show()
    music_posts = await watch_music.show(2)
    survey_lyon = lyon_posts[0]["event_id"]
    survey_music = next(
        e["event_id"] for e in music_posts if "Annual survey" in e["content"]["body"]
    )
    forum_music = next(e["event_id"] for e in music_posts if e["type"] == START)

    step("Ana answers for Lyon in the call's thread")
    await people["ana"].answer(lyon_room, survey_lyon, "1. 14\n2. La Fête du livre jeunesse")
    await wait(lambda: _reply(store, "survey-2026", "lyon"))
    await watch_lyon.show()

    step("Bo answers for Bologna, gets a number wrong, and fixes it with an edit")
    first = await people["bo"].answer(music_room, survey_music, "1. dozens\n2. Jazz in the squares")
    await watch_music.show()
    await people["bo"].edit(music_room, first, "1. 36\n2. Jazz in the squares")
    await wait(lambda: _reply(store, "survey-2026", "bologna"))
    await watch_music.show()

    step("Kemi answers the forum call in its poll; Mallory, not linked, tries to answer")
    await people["kemi"].vote(music_room, forum_music, KEYCAPS[0], "yes")
    await wait(lambda: _reply(store, "forum-2027", "kisumu"))
    await watch_music.show()
    await people["mallory"].answer(music_room, survey_music, "1. 999\n2. @room look at me")
    await watch_music.show()

    step("The Secretariat closes the calls; the summaries arrive in its room")
    await secretariat.say(office, "!uccn call close survey-2026")
    await secretariat.say(office, "!uccn call close forum-2027")
    await watch_office.show(4)

    step("The export of the survey (uccn calls export survey-2026 --format md)")
    export = call_export(store, "survey-2026")
    assert export is not None
    out = io.StringIO()
    plugins.exporters()["replies:md"].write([export], out)
    # The heading, the questions and the table's rows for the cities that answered, as the
    # file has them: not wrapped to the terminal, and the answers' text not read as markup.
    lines = out.getvalue().splitlines()
    table = lines.index(next(line for line in lines if line.startswith("|")))
    answered = [line for line in lines[table:] if "*no answer*" not in line]
    console.print("\n".join(lines[:table] + answered), soft_wrap=True, markup=False)
    store.close()
    return config


def _reply(store: Store, call: str, city: str) -> Any:
    with store.begin() as tx:
        reply = tx.replies.get(call, city)
    return reply if reply and not reply.withdrawn and reply.updated_at else None


def run_demo(web_port: int | None = None) -> None:
    """The story; then, with `web_port`, the web console on the demo's store until Ctrl-C."""
    with tempfile.TemporaryDirectory(prefix="uccn-demo-") as folder:
        config = asyncio.run(demo(Path(folder)))
        if web_port is not None:
            _serve_console(Path(folder), config, web_port)
        step("The demo's files are gone with its temporary folder")


def _serve_console(folder: Path, config: NetworkConfig, port: int) -> None:
    """The console over what the demo left, signed in as its Secretariat through a link."""
    from datetime import timedelta

    from aiohttp import web

    from uccn_sdk.chat.events import Sender
    from uccn_sdk.config import WebSettings
    from uccn_sdk.runtime.context import Runtime

    try:
        from uccn_web.app import application
    except ImportError:
        console.print("The web console is not installed (pip install uccn-web).", markup=False)
        return
    settings = WebSettings(url=f"http://127.0.0.1:{port}", port=port)
    runtime = Runtime(Store.open(f"sqlite:///{folder / 'uccn.db'}"), Plugins.load(), config)
    (secretariat,) = config.secretariat["matrix"]
    with runtime.store.begin() as tx:
        token = tx.signins.issue_link(
            Sender("matrix", secretariat), runtime.clock(), timedelta(hours=1)
        )
    step("The web console, on what the demo left (the bot is stopped: posts wait in the outbox)")
    console.print(f"  Open {settings.url}/signin/{token} to sign in as the Secretariat")
    console.print("  (a link the bot would give on `web`; it works once). Ctrl-C stops it.")
    try:
        web.run_app(application(runtime, settings), host="127.0.0.1", port=port, print=None)
    finally:
        runtime.store.close()
