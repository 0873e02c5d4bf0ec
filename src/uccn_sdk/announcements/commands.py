"""The Secretariat's chat commands for announcements: preview, schedule, list, change, pause,
resume and cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from uccn_sdk.arguments import Param, body, option, word
from uccn_sdk.commands import Arguments, Command, CommandContext, audience_option, command
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Announcement

if TYPE_CHECKING:
    from uccn_sdk.announcements.service import Preview

ANNOUNCEMENT: tuple[Param, ...] = (
    word("id"),
    option("when", '"fri 10:00 local"', required=True),
    option("audience", "field:music", required=True, read=audience_option),
    option("tz", "Europe/Paris"),
    option("quiet", "21:00-08:00"),
    option("skip", "weekends"),
    body(),
)
"""An announcement as chat writes it: its text on the lines after the first."""


def _announcement(context: CommandContext, arguments: Arguments) -> Announcement:
    from uccn_sdk.announcements.parsing import build

    return build(
        arguments["id"],
        arguments["text"],
        when=arguments["when"],
        audience=arguments["audience"],
        tz=arguments["tz"],
        quiet=arguments["quiet"],
        skip=(arguments["skip"] or "").split(","),
        created_by=f"{context.event.platform}:{context.event.sender.user_id}",
    )


def _answer(context: CommandContext, preview: Preview, closing: str) -> str:
    """Who gets the announcement and when (15 rooms at most in chat), then `closing`."""
    from uccn_sdk.announcements.texts import preview_lines

    return "\n".join([*preview_lines(preview, context.language, limit=15), closing])


@command(
    "announce preview",
    N_("Show who would get an announcement, when; the text follows."),
    *ANNOUNCEMENT,
    secretariat_only=True,
)
async def announce_preview(context: CommandContext, arguments: Arguments) -> str:
    from uccn_sdk.announcements.service import Announcements

    announcement = _announcement(context, arguments)
    preview = Announcements(context.store, context.config).preview(announcement)
    return _answer(context, preview, _(context.language, "Nothing is scheduled yet."))


@command(
    "announce new",
    N_("Schedule an announcement; the text follows."),
    *ANNOUNCEMENT,
    secretariat_only=True,
)
async def announce_new(context: CommandContext, arguments: Arguments) -> str:
    from uccn_sdk.announcements.service import Announcements

    announcement = _announcement(context, arguments)
    preview = Announcements(context.store, context.config).schedule(announcement)
    scheduled = _(context.language, "Announcement {id} is scheduled.", id=announcement.id)
    return _answer(context, preview, scheduled)


@command("announce list", N_("List the announcements."), secretariat_only=True)
async def announce_list(context: CommandContext, arguments: Arguments) -> str:
    from uccn_sdk.announcements import phrases
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.models.announcement import describe

    found = Announcements(context.store, context.config).listed()
    if not found:
        return _(context.language, "There are no announcements yet.")
    language = context.language
    lines = []
    for s in found:
        said = {
            "id": s.announcement.id,
            "state": phrases.state(s.announcement.state).said(language),
            "schedule": describe(s.announcement.schedule, language),
        }
        if s.upcoming is None:
            lines.append(_(language, "• {id} ({state}, {schedule})", **said))
        else:
            upcoming = s.upcoming.strftime("%Y-%m-%d %H:%M")
            line = _(
                language, "• {id} ({state}, {schedule}, next {next} UTC)", **said, next=upcoming
            )
            lines.append(line)
    return "\n".join(lines)


@command(
    "announce edit",
    N_("Change an announcement's moment or quiet hours; a new text may follow."),
    word("id"),
    option("when", '"…"'),
    option("tz", "Europe/Paris"),
    option("audience", "…", read=audience_option),
    option("quiet", "…"),
    body(),
    secretariat_only=True,
)
async def announce_edit(context: CommandContext, arguments: Arguments) -> str:
    from uccn_sdk.announcements.parsing import parse_quiet_hours, parse_schedule
    from uccn_sdk.announcements.service import Announcements

    when, quiet = arguments["when"], arguments["quiet"]
    if arguments["tz"] and not when:
        raise UccnError(N_("tz= changes nothing without when="))
    preview = Announcements(context.store, context.config).edit(
        arguments["id"],
        text=arguments["text"] or None,
        schedule=parse_schedule(when, arguments["tz"]) if when else None,
        audience=arguments["audience"],
        quiet_hours=parse_quiet_hours(quiet) if quiet else None,
    )
    changed = _(context.language, "Announcement {id} is changed.", id=arguments["id"])
    return _answer(context, preview, changed)


def _announce_state(action: str, help: str) -> Command:
    @command(f"announce {action}", help, word("id"), secretariat_only=True)
    async def handler(context: CommandContext, arguments: Arguments) -> str:
        from uccn_sdk.announcements import phrases
        from uccn_sdk.announcements.service import Announcements

        announcement_id = arguments["id"]
        moved = getattr(Announcements(context.store, context.config), action)(announcement_id)
        return _(
            context.language,
            "Announcement {id} is now {state}.",
            id=announcement_id,
            state=phrases.state(moved.state).said(context.language),
        )

    return handler


COMMANDS = [
    announce_preview,
    announce_new,
    announce_list,
    announce_edit,
    _announce_state("pause", N_("Hold an announcement.")),
    _announce_state("resume", N_("Schedule a paused announcement again.")),
    _announce_state("cancel", N_("Cancel an announcement and its posts not sent yet.")),
]
