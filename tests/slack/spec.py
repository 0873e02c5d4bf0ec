"""Checks against Slack's published specs: the Web API (OpenAPI 2.0) and the Events API."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]

SPECS = Path(os.environ.get("SLACK_API_SPECS", Path(__file__).resolve().parent / "specs"))

# Methods newer than the published OpenAPI file (v1.7.0): name -> accepted parameters.
METHODS_NEWER_THAN_SPEC: dict[str, dict[str, str]] = {
    "apps.connections.open": {},  # Socket Mode; its only parameter is the app token
    # The two steps around a file's upload (files.upload was retired in 2025).
    "files.getUploadURLExternal": {
        "filename": "string",
        "length": "integer",
        "alt_txt": "string",
        "snippet_type": "string",
    },
    "files.completeUploadExternal": {
        "files": "string",
        "channel_id": "string",
        "channels": "string",
        "initial_comment": "string",
        "thread_ts": "string",
    },
}

# Parameters slack_sdk 3.x sends that the OpenAPI file predates: method -> {name: type}.
PARAMS_NEWER_THAN_SPEC: dict[str, dict[str, str]] = {
    "chat.postMessage": {"metadata": "string", "markdown_text": "string", "container_id": "string"},
    "chat.update": {
        "metadata": "string",
        "markdown_text": "string",
        "file_ids": "string",
        "reply_broadcast": "boolean",
    },
    "chat.postEphemeral": {"markdown_text": "string"},
    "views.open": {"interactivity_pointer": "string"},
    "conversations.history": {"include_all_metadata": "boolean"},
    "conversations.replies": {"include_all_metadata": "boolean"},
}

# Accepted by every method: slack_sdk adds team_id to each call of a client built with one,
# and slack_bolt builds one per request with the team of the incoming payload.
GLOBAL_PARAMS: dict[str, str] = {"team_id": "string"}

# Typed "string" in the spec, though they carry JSON: objects or arrays are accepted as well.
JSON_ENCODED = {"blocks", "attachments", "view", "metadata", "files"}
# Flags the spec types as "string" although Slack (and slack_sdk) treat them as booleans.
SPEC_MISTYPED_BOOLEANS = {"as_user", "link_names"}

# AsyncAPI topics whose event schema is unusable as is: checked for the types of the fields
# it declares, with its `required` lists dropped. "message" was generated from one deleted
# file-comment message and would require `deleted_ts`, `previous_message.file`... on every message.
LENIENT_TOPICS = {"message"}

_INTEGER = re.compile(r"-?\d+")


class SpecError(ValueError):
    """A payload the emulator built does not match Slack's schema."""


@cache
def openapi() -> dict[str, Any]:
    """The Web API OpenAPI document, loaded once."""
    return _load("web-api/slack_web_openapi_v2.json")


@cache
def asyncapi() -> dict[str, Any]:
    """The Events API AsyncAPI document, loaded once."""
    return _load("events-api/slack_events_api_async_v1.json")


@cache
def wrapper_schema() -> dict[str, Any]:
    """JSON schema of the Events API envelope."""
    return _load("events-api/slack_common_event_wrapper_schema.json")


def _load(relative: str) -> dict[str, Any]:
    path = SPECS / relative
    if not path.exists():
        raise FileNotFoundError(f"Slack spec missing: {path} (set SLACK_API_SPECS)")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def parameters(method: str) -> dict[str, dict[str, Any]] | None:
    """Declared parameters of a Web API method by name, or None when the method is unknown."""
    if method in METHODS_NEWER_THAN_SPEC:
        newer = {**GLOBAL_PARAMS, **METHODS_NEWER_THAN_SPEC[method]}
        return {n: {"name": n, "type": t} for n, t in newer.items()}
    path = openapi()["paths"].get(f"/{method}")
    if path is None:
        return None
    declared = {p["name"]: p for op in path.values() for p in op.get("parameters", [])}
    for name, kind in {**GLOBAL_PARAMS, **PARAMS_NEWER_THAN_SPEC.get(method, {})}.items():
        declared.setdefault(name, {"name": name, "type": kind})
    return declared


def check_call(method: str, args: dict[str, Any]) -> list[str]:
    """Spec violations of one Web API call (`args` without the token)."""
    declared = parameters(method)
    if declared is None:
        return [f"{method}: no such method in the Web API spec"]
    problems = [
        f"{method}: missing required parameter {name!r}"
        for name, p in declared.items()
        if p.get("required") and name != "token" and name not in args
    ]
    for name, value in args.items():
        p = declared.get(name)
        if p is None:
            problems.append(f"{method}: unknown parameter {name!r}")
        elif not _type_ok(name, p.get("type", "string"), value):
            problems.append(f"{method}: {name}={value!r} is not a {p.get('type')}")
    return problems


def _type_ok(name: str, kind: str, value: Any) -> bool:
    if kind == "string":
        if isinstance(value, dict | list):
            return name in JSON_ENCODED
        if isinstance(value, bool):
            return name in SPEC_MISTYPED_BOOLEANS
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool) or value in ("true", "false", "1", "0", 1, 0)
    if kind == "integer":
        if isinstance(value, str):
            return _INTEGER.fullmatch(value) is not None
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                return False
            return True
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True


def topics_for(event: dict[str, Any]) -> list[str]:
    """AsyncAPI topics describing an event: "reaction_added" -> "reaction.added"..."""
    kind = str(event.get("type", ""))
    topics = [kind.replace("_", ".")]
    if kind == "message" and event.get("channel_type"):
        suffix = {"channel": "channels", "group": "groups", "app_home": "app.home"}
        topics.append(f"message.{suffix.get(event['channel_type'], event['channel_type'])}")
    return [t for t in topics if t in asyncapi()["topics"]]


def validate_envelope(envelope: dict[str, Any]) -> None:
    """Raise SpecError unless `envelope` matches the wrapper schema and its event's topic."""
    _validate(envelope, wrapper_schema(), "event wrapper")
    for topic in topics_for(envelope["event"]):
        schema = _resolve(asyncapi()["topics"][topic]["subscribe"]["payload"])
        if topic in LENIENT_TOPICS:
            schema = _without_required(schema)
        _validate(envelope, schema, f"AsyncAPI topic {topic}")


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    node: Any = asyncapi()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return _resolve(node)


def _without_required(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_required(v) for k, v in schema.items() if k != "required"}
    if isinstance(schema, list):
        return [_without_required(v) for v in schema]
    return schema


def _validate(instance: dict[str, Any], schema: dict[str, Any], what: str) -> None:
    try:
        jsonschema.Draft7Validator(schema).validate(instance)
    except jsonschema.ValidationError as error:
        raise SpecError(f"{what}: {error.message} at {list(error.absolute_path)}") from error
