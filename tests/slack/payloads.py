"""Builders of what Slack sends an app: Events API envelopes, interactions, slash commands."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

from .spec import validate_envelope
from .state import Workspace, random_id


def select_value(value: str, text: str | None = None) -> dict[str, Any]:
    """A static_select entry for `view_submission` state values."""
    option = {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}
    return {"type": "static_select", "selected_option": option}


class PayloadBuilders(Workspace):
    """Payloads shaped as Slack sends them; events also land in the emulator's state."""

    def _user_ref(self, user: str) -> dict[str, Any]:
        name = self.users.get(user, {}).get("name", user.lower())
        return {"id": user, "username": name, "name": name, "team_id": self.team_id}

    def _channel_type(self, channel: str) -> str:
        return "im" if self.channels.get(channel, {}).get("is_im") else "channel"

    def event_callback(self, event: dict[str, Any]) -> dict[str, Any]:
        """The Events API envelope around `event`, checked against Slack's schemas."""
        event = {"event_ts": event.get("ts") or self.next_ts(), **event}
        context = json.dumps({"team": self.team_id, "app": self.app_id, "id": uuid.uuid4().hex})
        envelope = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "context_enterprise_id": None,
            "api_app_id": self.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": random_id("Ev"),
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "authed_users": [self.bot_user_id],
            "is_ext_shared_channel": False,
            "event_context": "4-" + base64.urlsafe_b64encode(context.encode()).decode(),
        }
        validate_envelope(envelope)
        return envelope

    def url_verification(self, challenge: str = "challenge-token") -> dict[str, Any]:
        """The handshake Slack sends when a Request URL is configured."""
        return {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }

    def message_event(
        self,
        channel: str,
        user: str,
        text: str,
        thread_ts: str | None = None,
        channel_type: str | None = None,
    ) -> dict[str, Any]:
        """A member's new message, stored so history sees it; ts at envelope["event"]["ts"]."""
        ts = self.next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "team": self.team_id,
            "client_msg_id": str(uuid.uuid4()),
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        self.store_message(channel, message)
        event = {
            **message,
            "channel": channel,
            "event_ts": ts,
            "channel_type": channel_type or self._channel_type(channel),
        }
        return self.event_callback(event)

    def app_mention(self, channel: str, user: str, text: str) -> dict[str, Any]:
        """An app_mention event (Slack sends it beside the message event)."""
        ts = self.next_ts()
        event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel}
        return self.event_callback({**event, "event_ts": ts, "team": self.team_id})

    def message_changed(self, channel: str, ts: str, new_text: str, user: str) -> dict[str, Any]:
        """An edit of stored message `ts`; the stored copy is changed too."""
        stored = self.find_message(channel, ts)
        previous = dict(stored)
        event_ts = self.next_ts()
        stored.update(text=new_text, edited={"user": user, "ts": event_ts})
        event = {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": channel,
            "channel_type": self._channel_type(channel),
            "ts": event_ts,
            "event_ts": event_ts,
            "message": dict(stored),
            "previous_message": previous,
        }
        return self.event_callback(event)

    def message_deleted(self, channel: str, ts: str) -> dict[str, Any]:
        """A deletion of stored message `ts`, which is removed."""
        stored = self.find_message(channel, ts)
        self.messages[channel].remove(stored)
        event_ts = self.next_ts()
        event = {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": channel,
            "channel_type": self._channel_type(channel),
            "ts": event_ts,
            "event_ts": event_ts,
            "deleted_ts": ts,
            "previous_message": stored,
        }
        return self.event_callback(event)

    def _reaction(self, kind: str, channel: str, ts: str, user: str, name: str) -> dict[str, Any]:
        owner = self.find_message(channel, ts).get("user", "")
        event = {
            "type": kind,
            "user": user,
            "reaction": name,
            "item_user": owner,
            "item": {"type": "message", "channel": channel, "ts": ts},
            "event_ts": self.next_ts(),
        }
        return self.event_callback(event)

    def reaction_added(self, channel: str, ts: str, user: str, name: str) -> dict[str, Any]:
        """A member's reaction on stored message `ts` (recorded in `reactions`)."""
        self.add_reaction(channel, ts, name, user)
        return self._reaction("reaction_added", channel, ts, user, name)

    def reaction_removed(self, channel: str, ts: str, user: str, name: str) -> dict[str, Any]:
        """A member takes a reaction back."""
        self.remove_reaction(channel, ts, name, user)
        return self._reaction("reaction_removed", channel, ts, user, name)

    def _interaction(self, kind: str, user: str) -> dict[str, Any]:
        return {
            "type": kind,
            "team": {"id": self.team_id, "domain": self.team_domain},
            "user": self._user_ref(user),
            "api_app_id": self.app_id,
            "token": self.verification_token,
            "trigger_id": self.issue_trigger(user),
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def block_actions(
        self,
        user: str,
        channel: str,
        message_ts: str,
        action_id: str,
        value: str,
        block_id: str = "actions",
    ) -> dict[str, Any]:
        """A click on a button of message `message_ts`; issues a trigger_id valid 3 s."""
        try:
            message = dict(self.find_message(channel, message_ts))
        except Exception:
            message = {"type": "message", "ts": message_ts, "text": ""}
        label = value
        for block in message.get("blocks", []):
            for element in block.get("elements", []) if isinstance(block, dict) else []:
                if isinstance(element, dict) and element.get("action_id") == action_id:
                    label = element.get("text", {}).get("text", value)
        container = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        }
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        action = {
            "action_id": action_id,
            "block_id": block_id,
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "value": value,
            "type": "button",
            "action_ts": self.next_ts(),
        }
        return {
            **self._interaction("block_actions", user),
            "container": container,
            "channel": {"id": channel, "name": self.channels.get(channel, {}).get("name", "")},
            "message": message,
            "state": {"values": {}},
            "response_url": self.response_url(),
            "actions": [action],
        }

    def view_submission(
        self,
        user: str,
        view_id: str,
        callback_id: str | None = None,
        private_metadata: str | None = None,
        state_values: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A modal submitted; a plain string value means a plain_text_input (see select_value)."""
        stored = self.views.get(view_id, {}).get("view", {})
        values = {
            block: {
                action: {"type": "plain_text_input", "value": v} if isinstance(v, str) else v
                for action, v in actions.items()
            }
            for block, actions in (state_values or {}).items()
        }
        view = {
            "id": view_id,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": stored.get("blocks", []),
            "title": stored.get("title", {"type": "plain_text", "text": "UCCN"}),
            "close": stored.get("close"),
            "submit": stored.get("submit"),
            "private_metadata": (
                private_metadata
                if private_metadata is not None
                else stored.get("private_metadata", "")
            ),
            "callback_id": callback_id
            if callback_id is not None
            else stored.get("callback_id", ""),
            "external_id": stored.get("external_id", ""),
            "state": {"values": values},
            "hash": stored.get("hash", f"{int(time.time())}.abcd1234"),
            "root_view_id": stored.get("root_view_id", view_id),
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        return {**self._interaction("view_submission", user), "view": view, "response_urls": []}

    def slash_command(
        self, user: str, channel: str, command: str = "/uccn", text: str = ""
    ) -> dict[str, str]:
        """The fields of a slash command (form fields over HTTP); issues a trigger_id."""
        return {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel,
            "channel_name": self.channels.get(channel, {}).get("name", "directmessage"),
            "user_id": user,
            "user_name": self._user_ref(user)["name"],
            "command": command,
            "text": text,
            "api_app_id": self.app_id,
            "is_enterprise_install": "false",
            "response_url": self.response_url(),
            "trigger_id": self.issue_trigger(user),
        }
