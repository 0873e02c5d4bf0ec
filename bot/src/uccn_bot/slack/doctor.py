"""What `uccn doctor` checks on Slack: the bot token works and has the scopes the features use;
the bot is in every channel of the room map; the Secretariat's users exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from uccn_sdk.config import RoomMap
from uccn_sdk.diagnosis import Finding

from .settings import SlackSettings

SCOPES = {
    "chat:write": "posting calls, answers and announcements",
    "reactions:write": "acknowledging answers with a reaction",
    "channels:history": "reading answers in public channels",
    "groups:history": "reading answers in private channels",
    "im:history": "reading direct messages",
    "channels:read": "checking the channels of the room map",
    "groups:read": "checking the private channels of the room map",
    "users:read": "knowing who writes",
}
"""The bot token's scopes the features use, and what each is for."""


async def diagnose(
    config: Mapping[str, Any], rooms: RoomMap | None, secretariat: list[str]
) -> list[Finding]:
    settings = SlackSettings.from_config(config)
    client = AsyncWebClient(
        token=settings.bot_token, base_url=settings.api_url or AsyncWebClient.BASE_URL
    )
    try:
        auth = await client.auth_test()
    except SlackApiError as error:
        return [
            Finding(
                False,
                f"slack: the bot token is refused: {error.response.get('error')}",
                "give the app's bot token (xoxb-…) as bot_token in [connectors.slack]",
            )
        ]
    findings = [Finding(True, f"slack: logged in as {auth.get('user')} ({auth.get('user_id')})")]
    granted = {s.strip() for s in (auth.headers.get("x-oauth-scopes") or "").split(",")}
    needed = dict(SCOPES)
    if settings.link_by_email:
        needed["users:read.email"] = "linking people by their e-mail (link_by_email)"
    missing = {scope: why for scope, why in needed.items() if scope not in granted}
    if missing:
        findings.append(
            Finding(
                False,
                "slack: the bot token lacks "
                + "; ".join(f"{scope} ({why})" for scope, why in sorted(missing.items())),
                "add those Bot Token Scopes in the app's OAuth & Permissions, and reinstall it",
            )
        )
    else:
        findings.append(Finding(True, "slack: the bot token has every scope the features use"))
    findings += await _channels(client, rooms)
    for user in secretariat:
        try:
            await client.users_info(user=user)
        except SlackApiError as error:
            findings.append(
                Finding(
                    False,
                    f"slack: the Secretariat user {user} cannot be found: "
                    f"{error.response.get('error')}",
                    "fix the id (U…) in [secretariat] slack",
                )
            )
    return findings


async def _channels(client: AsyncWebClient, rooms: RoomMap | None) -> list[Finding]:
    if rooms is None:
        return []
    channels = sorted(
        {*rooms.cities.values(), *rooms.fields.values()}
        | {c for c in (rooms.secretariat, rooms.introductions) if c}
    )
    findings = []
    for channel in channels:
        try:
            info = (await client.conversations_info(channel=channel)).get("channel") or {}
        except SlackApiError as error:
            findings.append(
                Finding(
                    False,
                    f"slack: channel {channel}: {error.response.get('error')}",
                    "fix the channel id (C…) in the room map",
                )
            )
            continue
        if not info.get("is_member"):
            findings.append(
                Finding(
                    False,
                    f"slack: not in #{info.get('name', channel)} ({channel})",
                    "invite the bot to the channel: /invite @the bot",
                )
            )
    if channels and not any(not f.ok for f in findings):
        findings.append(Finding(True, f"slack: in every channel of the room map ({len(channels)})"))
    return findings
