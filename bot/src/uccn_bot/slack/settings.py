"""The Slack connector's settings, from `[connectors.slack]` in the bot's configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from uccn_sdk.errors import UccnError


@dataclass
class SlackSettings:
    bot_token: str
    """The bot token (xoxb-…)."""
    mode: Literal["socket", "http"] = "socket"
    app_token: str | None = None
    """The app-level token (xapp-…), for Socket Mode."""
    signing_secret: str | None = None
    """The signing secret, for the HTTP Events API: every request's signature is checked."""
    host: str = "127.0.0.1"
    port: int = 3000
    path: str = "/slack/events"
    """Where the HTTP mode listens; the app's Request URL points here (through a proxy)."""
    api_url: str | None = None
    """Slack's Web API address; only tests point it elsewhere."""
    link_by_email: bool = False
    """Link a Slack user to the focal point with the same e-mail, when Slack confirmed it."""
    channel_rate: float = 1.0
    channel_burst: int = 3
    """Messages per second per channel, and how many may go at once."""
    workspace_rate: float | None = None
    workspace_burst: int = 10
    """Messages per second for the whole workspace, when its limit is known (Slack allows
    "several hundred a minute"); unset, only Slack's 429 answers slow the bot down."""
    max_retries: int = 5
    """How often a rate-limited or failed request is tried again."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SlackSettings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise UccnError(f"unknown Slack settings: {', '.join(unknown)}")
        if not str(config.get("bot_token", "")).startswith("xoxb-"):
            raise UccnError("the Slack connector needs a bot_token (xoxb-…) in [connectors.slack]")
        mode = config.get("mode", "socket")
        if mode not in ("socket", "http"):
            raise UccnError(f"Slack mode must be 'socket' or 'http', not {mode!r}")
        if mode == "socket" and not str(config.get("app_token", "")).startswith("xapp-"):
            raise UccnError("Slack's Socket Mode needs an app_token (xapp-…) in [connectors.slack]")
        if mode == "http" and not config.get("signing_secret"):
            raise UccnError(
                "Slack's HTTP mode needs the app's signing_secret in [connectors.slack]"
            )
        settings = cls(**dict(config))
        workspace_ok = settings.workspace_rate is None or (
            settings.workspace_rate > 0 and settings.workspace_burst >= 1
        )
        if (
            settings.channel_rate <= 0
            or settings.channel_burst < 1
            or settings.max_retries < 0
            or not workspace_ok
        ):
            raise UccnError(
                "Slack pacing needs rates above 0, bursts of at least 1 and max_retries >= 0"
            )
        return settings
