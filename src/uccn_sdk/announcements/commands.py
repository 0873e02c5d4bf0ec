"""The Secretariat's chat commands for announcements: preview, schedule, list, change, pause,
resume and cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from uccn_sdk.commands import Command, CommandContext, audience_option, one_word, request_parts
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Announcement

ANNOUNCE_USAGE = (
    'ID when="fri 10:00 local" audience=field:music [quiet=21:00-08:00] [skip=weekends]'
)


def _announcementrequest_parts(context: CommandContext, arguments: str) -> Announcement:
    """`ID when=… audience=… [tz=…] [quiet=…] [skip=…]`, then the text on the next lines."""
    from uccn_sdk.announcements.parsing import build

    words, options, body = request_parts(arguments)
    if not words or "=" in words[0]:
        raise UccnError(f"give an id first: {ANNOUNCE_USAGE}, then the text on the next lines")
    audience = audience_option(options.get("audience", ""))
    return build(
        words[0],
        body,
        when=options.get("when", ""),
        audience=audience,
        tz=options.get("tz"),
        quiet=options.get("quiet"),
        skip=options.get("skip", "").split(","),
        created_by=f"{context.event.platform}:{context.event.sender.user_id}",
    )


async def announce_preview(context: CommandContext, arguments: str) -> str:
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.announcements.texts import preview_lines

    announcement = _announcementrequest_parts(context, arguments)
    preview = Announcements(context.store, context.config).preview(announcement)
    lines = preview_lines(preview, context.language, limit=15)
    return "\n".join([*lines, _(context.language, "Nothing is scheduled yet.")])


async def announce_new(context: CommandContext, arguments: str) -> str:
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.announcements.texts import preview_lines

    announcement = _announcementrequest_parts(context, arguments)
    preview = Announcements(context.store, context.config).schedule(announcement)
    lines = preview_lines(preview, context.language, limit=15)
    return "\n".join(
        [*lines, _(context.language, "Announcement {id} is scheduled.", id=announcement.id)]
    )


async def announce_list(context: CommandContext, arguments: str) -> str:
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.models.announcement import describe

    found = Announcements(context.store, context.config).listed()
    if not found:
        return _(context.language, "There are no announcements yet.")
    return "\n".join(
        f"• {s.announcement.id} ({s.announcement.state.value}, "
        f"{describe(s.announcement.schedule)}"
        + (f", next {s.upcoming:%Y-%m-%d %H:%M} UTC" if s.upcoming else "")
        + ")"
        for s in found
    )


async def announce_edit(context: CommandContext, arguments: str) -> str:
    """`announce edit ID [when=…] [tz=…] [quiet=…]`, and a new text on the next lines."""
    from uccn_sdk.announcements.parsing import parse_quiet, parse_schedule
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.announcements.texts import preview_lines
    from uccn_sdk.models import QuietHours

    words, options, body = request_parts(arguments)
    if not words or "=" in words[0]:
        raise UccnError("give the id of the announcement to change first")
    schedule = parse_schedule(options["when"], options.get("tz")) if "when" in options else None
    quiet = options.get("quiet")
    audience = audience_option(options["audience"]) if "audience" in options else None
    preview = Announcements(context.store, context.config).edit(
        words[0],
        text=body.strip() or None,
        schedule=schedule,
        audience=audience,
        quiet_hours=QuietHours.model_validate(parse_quiet(quiet)) if quiet else None,
    )
    lines = preview_lines(preview, context.language, limit=15)
    return "\n".join([*lines, _(context.language, "Announcement {id} is changed.", id=words[0])])


def _announce_state(action: str) -> Callable[[CommandContext, str], Awaitable[str]]:
    async def handler(context: CommandContext, arguments: str) -> str:
        from uccn_sdk.announcements.service import Announcements

        announcement_id = one_word(context.language, arguments, "ID")
        moved = getattr(Announcements(context.store, context.config), action)(announcement_id)
        return _(
            context.language,
            "Announcement {id} is now {state}.",
            id=announcement_id,
            state=moved.state.value,
        )

    return handler


COMMANDS = [
    Command(
        "announce preview",
        ANNOUNCE_USAGE,
        N_("Show who would get an announcement, when; the text follows."),
        announce_preview,
        secretariat_only=True,
    ),
    Command(
        "announce new",
        ANNOUNCE_USAGE,
        N_("Schedule an announcement; the text follows."),
        announce_new,
        secretariat_only=True,
    ),
    Command(
        "announce list",
        "",
        N_("List the announcements."),
        announce_list,
        secretariat_only=True,
    ),
    Command(
        "announce edit",
        'ID [when="…"] [audience=…] [quiet=…]',
        N_("Change an announcement's moment or quiet hours; a new text may follow."),
        announce_edit,
        secretariat_only=True,
    ),
    Command(
        "announce pause",
        "ID",
        N_("Hold an announcement."),
        _announce_state("pause"),
        secretariat_only=True,
    ),
    Command(
        "announce resume",
        "ID",
        N_("Schedule a paused announcement again."),
        _announce_state("resume"),
        secretariat_only=True,
    ),
    Command(
        "announce cancel",
        "ID",
        N_("Cancel an announcement and its posts not sent yet."),
        _announce_state("cancel"),
        secretariat_only=True,
    ),
]
