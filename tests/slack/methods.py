"""Web API methods with state: each takes the call's arguments and returns the answer body."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from .state import SlackError, Workspace, random_id

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100


def truthy(value: Any) -> bool:
    """A boolean argument as Slack reads it: true, "true" or "1"."""
    return value is True or value in ("true", "1", 1)


def decode_json(args: dict[str, Any], name: str) -> Any:
    """An argument that may be a JSON-encoded string or the object itself."""
    value = args.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise SlackError(
                f"invalid_{name}", f"{name} is not valid JSON", violation=True
            ) from None
    return value


def check_blocks(blocks: Any, limit: int, where: str) -> list[str]:
    """Problems with a list of layout blocks."""
    if not isinstance(blocks, list):
        return [f"{where}: blocks must be an array"]
    problems = [f"{where}: more than {limit} blocks ({len(blocks)})"] if len(blocks) > limit else []
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(f"{where}: block {i} has no type")
    return problems


def check_view(view: Any) -> list[str]:
    """Problems with a modal view, after Slack's documented limits."""
    if not isinstance(view, dict):
        return ["view must be an object"]
    problems = [] if view.get("type") == "modal" else [f"view type {view.get('type')!r} != 'modal'"]
    for key in ("title", "close", "submit"):
        text = view.get(key)
        if text is None:
            if key == "title":
                problems.append("view has no title")
            continue
        if not isinstance(text, dict) or text.get("type") != "plain_text":
            problems.append(f"view {key} must be a plain_text object")
        elif len(str(text.get("text", ""))) > 24:
            problems.append(f"view {key} is longer than 24 characters")
    if "blocks" not in view:
        problems.append("view has no blocks")
    else:
        problems += check_blocks(view["blocks"], MAX_VIEW_BLOCKS, "view")
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view["blocks"])
        if has_input and "submit" not in view:
            problems.append("view has input blocks but no submit button")
    if len(str(view.get("private_metadata", ""))) > 3000:
        problems.append("view private_metadata is longer than 3000 characters")
    if len(str(view.get("callback_id", ""))) > 255:
        problems.append("view callback_id is longer than 255 characters")
    return problems


def invalid(problems: list[str], error: str = "invalid_arguments") -> None:
    """Raise a violation listing `problems`, if any."""
    if problems:
        raise SlackError(error, "; ".join(problems), violation=True)


class WebMethods(Workspace):
    """The Web API methods the emulator implements."""

    def auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "UCCN",
            "user": "uccn_bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "is_enterprise_install": False,
        }

    def _content(self, args: dict[str, Any]) -> dict[str, Any]:
        """text, blocks and metadata of a message being posted or updated."""
        content: dict[str, Any] = {}
        if "text" in args:
            content["text"] = args["text"]
        if "blocks" in args:
            content["blocks"] = decode_json(args, "blocks")
            invalid(
                check_blocks(content["blocks"], MAX_MESSAGE_BLOCKS, "message"), "invalid_blocks"
            )
        if "metadata" in args:
            metadata = decode_json(args, "metadata")
            ok = (
                isinstance(metadata, dict)
                and isinstance(metadata.get("event_type"), str)
                and isinstance(metadata.get("event_payload"), dict)
            )
            invalid(
                [] if ok else ["metadata needs event_type and event_payload"],
                "invalid_metadata_format",
            )
            content["metadata"] = metadata
        return content

    def files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or "length" not in args:
            raise SlackError(
                "invalid_arguments", "filename and length are required", violation=True
            )
        file_id = f"F{secrets.token_hex(5).upper()}"
        self.files[file_id] = {
            "id": file_id,
            "name": args["filename"],
            "length": int(args["length"]),
            "data": None,
        }
        return {"upload_url": f"{self.base_url}upload/{file_id}", "file_id": file_id}

    def files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        listed = decode_json(args, "files")
        if not isinstance(listed, list) or not listed:
            raise SlackError("invalid_arguments", "files must be a non-empty array", violation=True)
        shared = []
        for item in listed:
            found = self.files.get(str(item.get("id")))
            if found is None or found["data"] is None:
                raise SlackError("file_not_found")
            if len(found["data"]) != found["length"]:
                raise SlackError("file_upload_size_mismatch")
            found["title"] = item.get("title") or found["name"]
            shared.append({k: v for k, v in found.items() if k != "data"})
        if args.get("channel_id"):
            channel = self.resolve_channel(str(args["channel_id"]))
            message: dict[str, Any] = {
                "type": "message",
                "text": args.get("initial_comment", ""),
                "user": self.bot_user_id,
                "bot_id": self.bot_id,
                "ts": self.next_ts(),
                "files": shared,
                "upload": True,
            }
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            self.store_message(channel, message)
        return {"files": shared}

    def chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(args["channel"])
        content = self._content(args)
        if not content.get("text") and not content.get("blocks"):
            raise SlackError("no_text", "text or blocks is required", violation=True)
        message: dict[str, Any] = {
            "type": "message",
            "text": content.get("text", ""),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": self.next_ts(),
            **{k: v for k, v in content.items() if k != "text"},
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
            if truthy(args.get("reply_broadcast")):
                message["subtype"] = "thread_broadcast"
        self.store_message(channel, message)
        return {"channel": channel, "ts": message["ts"], "message": dict(message)}

    def _own_message(
        self, args: dict[str, Any], ts_name: str, error: str
    ) -> tuple[str, dict[str, Any]]:
        channel = self.resolve_channel(args["channel"])
        message = self.find_message(channel, str(args.get(ts_name, "")))
        if message.get("bot_id") != self.bot_id:
            raise SlackError(error)
        return channel, message

    def chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._own_message(args, "ts", "cant_update_message")
        content = self._content(args)
        if not content:
            raise SlackError("no_text", "nothing to update", violation=True)
        message.update(content)
        message["edited"] = {"user": self.bot_user_id, "ts": self.next_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"],
            "message": dict(message),
        }

    def chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, message = self._own_message(args, "ts", "cant_delete_message")
        self.messages[channel].remove(message)
        return {"channel": channel, "ts": message["ts"]}

    def chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(args["channel"])
        if args["user"] not in self.users:
            raise SlackError("user_not_in_channel")
        content = self._content(args)
        if not content.get("text") and not content.get("blocks"):
            raise SlackError("no_text", "text or blocks is required", violation=True)
        ts = self.next_ts()
        entry = {"channel": channel, "user": args["user"], "message_ts": ts, **content}
        if args.get("thread_ts"):
            entry["thread_ts"] = args["thread_ts"]
        self.ephemeral.append(entry)
        return {"message_ts": ts}

    def reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(args["channel"])
        self.add_reaction(channel, args["timestamp"], args["name"], self.bot_user_id)
        return {}

    def _new_view(self, view: dict[str, Any], view_id: str, root_id: str) -> dict[str, Any]:
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type"),
            "title": view.get("title"),
            "blocks": view.get("blocks", []),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    def views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = decode_json(args, "view")
        invalid(check_view(view))
        trigger_id = args.get("trigger_id") or args.get("interactivity_pointer") or ""
        user = self.exchange_trigger(str(trigger_id))
        view_id = random_id("V")
        opened = self._new_view(view, view_id, view_id)
        self.views[view_id] = {"view": opened, "trigger_id": trigger_id, "user": user}
        return {"view": opened}

    def views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view = decode_json(args, "view")
        invalid(check_view(view) if view is not None else ["view is required"])
        entry = self.views.get(str(args.get("view_id", "")))
        if entry is None and args.get("external_id"):
            entry = next(
                (e for e in self.views.values() if e["view"]["external_id"] == args["external_id"]),
                None,
            )
        if entry is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != entry["view"]["hash"]:
            raise SlackError("hash_conflict")
        old = entry["view"]
        entry["view"] = self._new_view(view, old["id"], old["root_view_id"])
        return {"view": entry["view"]}

    def users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user", "")))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user}

    def conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel", "")))
        if channel is None:
            raise SlackError("channel_not_found")
        return {"channel": channel}

    def _page(self, args: dict[str, Any], messages: list[dict[str, Any]]) -> dict[str, Any]:
        """Filter by oldest/latest, page by limit/cursor, show metadata only when asked."""
        inclusive = truthy(args.get("inclusive"))
        oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")

        def within(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        selected = [m for m in messages if within(float(m["ts"]))]
        start = int(args.get("cursor") or 0)
        limit = min(int(args.get("limit") or 100), 999)
        page = selected[start : start + limit]
        with_metadata = truthy(args.get("include_all_metadata"))
        shown = [{k: v for k, v in m.items() if with_metadata or k != "metadata"} for m in page]
        more = start + limit < len(selected)
        return {
            "messages": shown,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self.channels:
            raise SlackError("channel_not_found")
        top = [
            m
            for m in self.messages.get(channel, [])
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]
        top.sort(key=lambda m: float(m["ts"]), reverse=True)
        return {**self._page(args, top), "pin_count": 0}

    def conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel not in self.channels:
            raise SlackError("channel_not_found")
        ts = str(args.get("ts", ""))
        try:
            parent = self.find_message(channel, ts)
        except SlackError:
            raise SlackError("thread_not_found") from None
        replies = [
            m for m in self.messages[channel] if m.get("thread_ts") == ts and m is not parent
        ]
        replies.sort(key=lambda m: float(m["ts"]))
        return self._page(args, [parent, *replies])
