"""A terminal connector: type as a focal point or as the Secretariat, see what the bot posts.

Lines typed are messages in one room. ``/as USER`` changes who is typing, ``/thread N text``
answers in the thread of post N (numbers are shown beside each post), ``/edit N text`` edits
message N, ``/react N KEY`` reacts, ``/delete N`` deletes, ``/quit`` stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import uuid
from datetime import datetime
from typing import IO

from uccn_bot.console_plugin import PLATFORM
from uccn_sdk.chat.connector import Connector, Handler
from uccn_sdk.chat.events import (
    Deletion,
    Edit,
    Event,
    Message,
    Outbound,
    OutboundMessage,
    Reaction,
    Sender,
)


class ConsoleConnector(Connector):
    platform = PLATFORM

    def __init__(
        self,
        room: str = "console",
        user: str = "secretariat",
        out: IO[str] | None = None,
        lines: IO[str] | None = None,
        *,
        reads: bool = True,
    ) -> None:
        self.room, self.user, self.reads = room, user, reads
        self.out = out or sys.stdout
        self.lines = lines or sys.stdin
        self._sent: dict[str, str] = {}
        self._numbers: list[str] = []
        self._running = False
        self._stopped: asyncio.Event | None = None

    async def connect(self) -> None:
        self._running = True
        self._print(f"console: you are {self.user} in room {self.room}; /help for help")

    async def disconnect(self) -> None:
        self._running = False
        if self._stopped is not None:
            self._stopped.set()

    def _number(self, event_id: str) -> int:
        self._numbers.append(event_id)
        return len(self._numbers)

    def _event_of(self, token: str) -> str | None:
        if token.isdigit() and 1 <= int(token) <= len(self._numbers):
            return self._numbers[int(token) - 1]
        return None

    async def send(
        self, message: Outbound, key: str, *, retry: bool = False, since: datetime | None = None
    ) -> str:
        if key in self._sent:
            return self._sent[key]
        event_id = f"$out-{uuid.uuid4().hex}"
        number = self._number(event_id)
        if isinstance(message, OutboundMessage):
            where = (
                f" (thread of #{self._numbers.index(message.thread_root) + 1})"
                if message.thread_root in self._numbers
                else ""
            )
            text = message.with_mentions(lambda user: user)
            self._print(f"[#{number} bot → {message.room}{where}]\n{text}")
        else:
            target = (
                self._numbers.index(message.target) + 1 if message.target in self._numbers else "?"
            )
            self._print(f"[#{number} bot reacts {message.key} to #{target}]")
        self._sent[key] = event_id
        return event_id

    async def listen(self, handler: Handler) -> None:
        if not self.reads:  # a worker without a terminal: it only posts
            self._stopped = asyncio.Event()
            await self._stopped.wait()
            return
        while self._running:
            line = await self._read_line()
            if not line:
                return
            event = self.parse(line.rstrip("\n"))
            if event == "quit":
                return
            if event is not None and not isinstance(event, str):
                await handler(event)

    async def _read_line(self) -> str:
        """The next line typed, read in a daemon thread: a bot stopped (SIGTERM) while its
        terminal is still open must not wait for a line that may never come."""
        loop = asyncio.get_running_loop()
        read: asyncio.Future[str] = loop.create_future()

        def reading() -> None:
            try:
                line = self.lines.readline()
            except (OSError, ValueError):  # the input closed under us
                line = ""
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits
                loop.call_soon_threadsafe(_settle, read, line)

        threading.Thread(target=reading, name="console-input", daemon=True).start()
        return await read

    def parse(self, line: str) -> Event | str | None:
        """The event a typed line stands for; 'quit' to stop; None for nothing."""
        if not line.strip():
            return None
        command, _sep, rest = line.partition(" ")
        sender = Sender(PLATFORM, self.user)
        if command == "/quit":
            return "quit"
        if command == "/help":
            self._print(__doc__ or "")
            return None
        if command == "/as":
            self.user = rest.strip() or self.user
            self._print(f"console: you are now {self.user}")
            return None
        event_id = f"$in-{uuid.uuid4().hex}"  # unique across runs: the store dedups on it
        if command in ("/thread", "/edit", "/react", "/delete"):
            token, _sep, text = rest.partition(" ")
            target = self._event_of(token)
            if target is None:
                self._print(f"console: there is no message #{token}")
                return None
            self._number(event_id)
            room = self.room
            if command == "/thread":
                return Message(
                    platform=PLATFORM,
                    room=room,
                    event_id=event_id,
                    sender=sender,
                    text=text,
                    thread_root=target,
                )
            if command == "/edit":
                return Edit(
                    platform=PLATFORM,
                    room=room,
                    event_id=event_id,
                    sender=sender,
                    target=target,
                    text=text,
                )
            if command == "/react":
                return Reaction(
                    platform=PLATFORM,
                    room=room,
                    event_id=event_id,
                    sender=sender,
                    target=target,
                    key=text.strip(),
                )
            return Deletion(
                platform=PLATFORM, room=room, event_id=event_id, sender=sender, target=target
            )
        self._number(event_id)
        # The console is a conversation with the bot: every plain line is a command.
        return Message(
            platform=PLATFORM,
            room=self.room,
            event_id=event_id,
            sender=sender,
            text=line,
            direct=True,
        )

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _settle(future: asyncio.Future[str], line: str) -> None:
    if not future.done():  # not cancelled meanwhile
        future.set_result(line)
