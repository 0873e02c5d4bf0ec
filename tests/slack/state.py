"""The workspace the emulator serves: users, channels, messages and the ids it hands out."""

from __future__ import annotations

import itertools
import secrets
import string
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

TRIGGER_TTL = 3.0  # seconds a trigger_id can be exchanged for a modal


class SlackError(Exception):
    """A Web API error answer; `violation` marks one caused by a malformed call."""

    def __init__(self, error: str, message: str = "", *, violation: bool = False) -> None:
        super().__init__(error)
        self.error = error
        self.message = message or error
        self.violation = violation


def random_id(prefix: str, length: int = 10) -> str:
    """A Slack-looking id: prefix plus upper-case letters and digits."""
    alphabet = string.ascii_uppercase + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


class Workspace:
    """State shared by the Web API, the payload builders and Socket Mode."""

    def __init__(
        self, *, bot_token: str, app_token: str, team_id: str, bot_user_id: str, app_id: str
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.team_domain = "uccn"
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + app_id.removeprefix("A")
        self.app_id = app_id
        self.verification_token = "verification-token"
        self.base_url = ""  # set once the server listens
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.reactions: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.ephemeral: list[dict[str, Any]] = []
        self.files: dict[str, dict[str, Any]] = {}
        """Uploaded files by id: name, length, and the bytes once posted to the upload URL."""
        self.responses: list[dict[str, Any]] = []
        self.triggers: dict[str, tuple[float, str | None]] = {}  # id -> (monotonic, user)
        self.exchanged_triggers: set[str] = set()
        self._last_ts = 0
        self._counter = itertools.count(1)

    def add_user(
        self,
        user_id: str,
        name: str,
        email: str | None = None,
        email_confirmed: bool = True,
        tz: str = "Europe/Paris",
    ) -> dict[str, Any]:
        """Add a (human) member of the workspace; returns its user object."""
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        profile: dict[str, Any] = {"real_name": name, "display_name": name, "team": self.team_id}
        if email is not None:
            profile["email"] = email
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "deleted": False,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "profile": profile,
            "is_bot": False,
            "is_admin": False,
            "is_email_confirmed": email_confirmed,
            "updated": int(time.time()),
        }
        self.users[user_id] = user
        return user

    def add_channel(
        self, channel_id: str, name: str, is_im: bool = False, user: str | None = None
    ) -> dict[str, Any]:
        """Add a conversation; for an IM, `user` is the member the bot talks to."""
        channel: dict[str, Any] = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_im,
            "is_group": False,
            "is_im": is_im,
            "is_mpim": False,
            "is_private": is_im,
            "is_archived": False,
            "is_member": True,
            "created": int(time.time()),
            "context_team_id": self.team_id,
        }
        if is_im:
            channel["user"] = user or name
        self.channels[channel_id] = channel
        self.messages.setdefault(channel_id, [])
        return channel

    def next_ts(self) -> str:
        """A unique, increasing message timestamp near the current time."""
        micros = max(int(time.time() * 1_000_000), self._last_ts + 1)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def issue_trigger(self, user: str | None = None) -> str:
        """A fresh trigger_id, exchangeable for a modal during TRIGGER_TTL seconds."""
        trigger_id = f"{next(self._counter)}.{int(time.time())}.{secrets.token_hex(16)}"
        self.triggers[trigger_id] = (time.monotonic(), user)
        return trigger_id

    def exchange_trigger(self, trigger_id: str) -> str | None:
        """Use a trigger_id up and return its user, or raise the error Slack would answer."""
        issued = self.triggers.get(trigger_id)
        if issued is None or time.monotonic() - issued[0] > TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        if trigger_id in self.exchanged_triggers:
            raise SlackError("exchanged_trigger_id")
        self.exchanged_triggers.add(trigger_id)
        return issued[1]

    def response_url(self) -> str:
        """A response_url served by the emulator; what is posted lands in `responses`."""
        return f"{self.base_url}response/{self.team_id}/{secrets.token_hex(8)}"

    def resolve_channel(self, channel: str) -> str:
        """The conversation id for `channel`; a user id means the bot's IM with that user."""
        if channel in self.channels:
            return channel
        if channel in self.users:
            for existing in self.channels.values():
                if existing["is_im"] and existing.get("user") == channel:
                    return str(existing["id"])
            return str(self.add_channel("D" + channel, channel, is_im=True, user=channel)["id"])
        raise SlackError("channel_not_found")

    def find_message(self, channel: str, ts: str) -> dict[str, Any]:
        """The stored message `ts` of `channel`, or SlackError message_not_found."""
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    def store_message(self, channel: str, message: dict[str, Any]) -> dict[str, Any]:
        """Keep a message, linking it to its thread parent."""
        self.messages.setdefault(channel, []).append(message)
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            try:
                parent = self.find_message(channel, thread_ts)
            except SlackError:
                return message
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = message["ts"]
            author = message.get("user") or message.get("bot_id")
            users = parent.setdefault("reply_users", [])
            if author not in users:
                users.append(author)
        return message

    def add_reaction(self, channel: str, ts: str, name: str, user: str) -> None:
        """Record a reaction on a stored message; already_reacted on a repeat."""
        message = self.find_message(channel, ts)
        if any(
            r == {"channel": channel, "ts": ts, "name": name, "user": user} for r in self.reactions
        ):
            raise SlackError("already_reacted")
        self.reactions.append({"channel": channel, "ts": ts, "name": name, "user": user})
        counts = message.setdefault("reactions", [])
        entry = next((r for r in counts if r["name"] == name), None)
        if entry is None:
            counts.append({"name": name, "users": [user], "count": 1})
        else:
            entry["users"].append(user)
            entry["count"] += 1

    def remove_reaction(self, channel: str, ts: str, name: str, user: str) -> None:
        """Forget a reaction; no_reaction if it was not there."""
        wanted = {"channel": channel, "ts": ts, "name": name, "user": user}
        if wanted not in self.reactions:
            raise SlackError("no_reaction")
        self.reactions.remove(wanted)
        message = self.find_message(channel, ts)
        for entry in message.get("reactions", []):
            if entry["name"] == name and user in entry["users"]:
                entry["users"].remove(user)
                entry["count"] -= 1
        message["reactions"] = [r for r in message.get("reactions", []) if r["count"]]
        if not message["reactions"]:
            del message["reactions"]
