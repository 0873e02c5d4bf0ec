"""The ``web`` chat command: a link that signs its reader in to the web console, once, for a
few minutes, as the chat identity that asked. It is given only where nobody else reads it (a
direct chat, a Slack slash command's private answer), and only to the Secretariat and the
cities' focal points. The store keeps hashes of links and sessions; a link also travels, as
any answer does, through the outbox, which is why it dies after one use and a few minutes."""

from __future__ import annotations

from datetime import timedelta

from uccn_sdk.commands import Arguments, CommandContext, command, command_prefix
from uccn_sdk.config import WebSettings
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _


def settings_of(context: CommandContext) -> WebSettings:
    return context.config.web or WebSettings()


@command("web", N_("Get a link that signs you in to the web console."))
async def web_command(context: CommandContext, arguments: Arguments) -> str:
    event, language = context.event, context.language
    with context.store.begin() as tx:
        point = tx.focal_points.identify(event.sender)
    if not (context.is_secretariat or point):
        return _(
            language,
            "The web console is for the Secretariat and the cities' focal points: "
            "“{prefix}iam CITY” asks to link you to your city first.",
            prefix=command_prefix(event),
        )
    if not (event.direct or event.private):
        return _(language, "A sign-in link is yours alone: write “web” to me in a direct chat.")
    settings = settings_of(context)
    with context.store.begin() as tx:
        token = tx.signins.issue_link(
            event.sender, context.runtime.clock(), timedelta(minutes=settings.link_minutes)
        )
    return _(
        language,
        "Your link to the web console; it works once, for {minutes} minutes: {url}",
        minutes=settings.link_minutes,
        url=f"{settings.url.rstrip('/')}/signin/{token}",
    )
