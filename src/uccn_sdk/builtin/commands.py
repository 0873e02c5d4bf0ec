"""The core's chat commands: calls, replies, and linking people to cities."""

from __future__ import annotations

import io
import shlex
from collections.abc import Awaitable, Callable
from datetime import datetime

from pydantic import ValidationError

from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.texts import SHOWN_MISSING, not_answered
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.chat.safety import clip, neutralise
from uccn_sdk.commands import Command, CommandContext
from uccn_sdk.errors import UccnError, describe_error
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Announcement, Audience, Call, CallState, FocalPoint, Role

MAX_EXPORT = 30_000
"""The longest export posted in chat; longer ones are for the command line."""


async def show_help(context: CommandContext, arguments: str) -> str:
    return context.commands.help(context.language, context.is_secretariat)


async def call_list(context: CommandContext, arguments: str) -> str:
    with context.store.begin() as tx:
        # A draft is the Secretariat's work in progress: only it sees drafts.
        calls = sorted(
            (c for c in tx.calls.all() if c.state is not CallState.DRAFT or context.is_secretariat),
            key=lambda c: c.deadline,
        )
        counts = {c.id: len(tx.replies.for_call(c.id)) for c in calls}
    if not calls:
        return _(context.language, "There are no calls yet.")
    return "\n".join(
        f"• {c.id} ({c.state.value}, {c.deadline:%Y-%m-%d}, {counts[c.id]}): {neutralise(c.title)}"
        for c in calls
    )


async def call_status(context: CommandContext, arguments: str) -> str:
    call_id = _one_word(context, arguments, "ID")
    summary = context.calls.summary(call_id)
    lines = [
        _(
            context.language,
            "{title}: {answered} of {targets} cities answered ({rate:.0%}).",
            title=neutralise(summary.title),
            answered=len(summary.answered),
            targets=summary.targets,
            rate=summary.rate,
        )
    ]
    if summary.missing:
        with context.store.begin() as tx:
            names = {
                c: city.name for c in summary.missing[:SHOWN_MISSING] if (city := tx.cities.get(c))
            }
        lines.append(not_answered(context.language, summary.missing, names))
    return "\n".join(lines)


async def call_new(context: CommandContext, arguments: str) -> str:
    """`call new ID deadline=… audience=field:music,city:lyon title="…"` then text and Q: lines."""
    words, options, body = _request(arguments)
    if not words:
        raise UccnError("give an id, deadline=…, audience=… and title=…")
    audience = _audience_option(options.get("audience", ""))
    text_lines: list[str] = []
    questions: list[dict[str, object]] = []
    for line in body.splitlines():
        if line.strip().lower().startswith("q:"):
            prompt, _sep, kind = line.strip()[2:].partition("[")
            kind, _sep, choices = kind.rstrip("]").partition(":")
            question: dict[str, object] = {
                "id": f"q{len(questions) + 1}",
                "prompt": prompt.strip(),
                "kind": kind.strip() or "text",
            }
            if choices:
                question["choices"] = [c.strip() for c in choices.split("|")]
            questions.append(question)
        else:
            text_lines.append(line)
    try:
        call = Call.draft(
            {
                "id": words[0],
                "title": options.get("title", ""),
                "text": "\n".join(text_lines).strip() or options.get("text", ""),
                "deadline": datetime.fromisoformat(options.get("deadline", "")),
                "audience": audience,
                "questions": questions,
                "language": options.get("language", context.language),
            }
        )
    except ValidationError as error:
        raise UccnError(describe_error(error, limit=1)) from None
    except ValueError as error:
        raise UccnError(str(error)) from None
    context.calls.create(call)
    return _(
        context.language, "Call {call} saved as a draft; “call open {call}” posts it.", call=call.id
    )


async def call_open(context: CommandContext, arguments: str) -> str:
    call_id = _one_word(context, arguments, "ID")
    opening = context.calls.open(call_id)
    return _(
        context.language,
        "Call {call} is open. Rooms it goes to: {posts}.",
        call=call_id,
        posts=opening.posts,
    )


async def call_close(context: CommandContext, arguments: str) -> str:
    call_id = _one_word(context, arguments, "ID")
    summary = context.calls.close(call_id)
    return _(
        context.language,
        "Call {call} is closed: {answered} of {targets} cities answered.",
        call=call_id,
        answered=len(summary.answered),
        targets=summary.targets,
    )


async def call_export_command(context: CommandContext, arguments: str) -> str:
    words = arguments.split()
    if not words:
        raise UccnError("give the call's id")
    fmt = words[1] if len(words) > 1 else "md"
    exporter = context.plugins.exporters().get(f"replies:{fmt}")
    if exporter is None:
        raise UccnError(f"no export format {fmt!r}; use csv, json or md")
    export = call_export(context.store, words[0])
    if export is None:
        raise UccnError(f"there is no call {words[0]!r}")
    out = io.StringIO()
    exporter.write([export], out)
    text = out.getvalue()
    if len(text) > MAX_EXPORT:
        return _(
            context.language,
            "The export is too long for chat; run “uccn calls export {call}” instead.",
            call=words[0],
        )
    return neutralise(text)


async def reply(context: CommandContext, arguments: str) -> str:
    words = arguments.split(None, 1)  # the answers may start on the call id's line or the next
    if len(words) < 2:
        raise UccnError(_(context.language, "write: reply CALL-ID 1. … 2. …"))
    # The call service queues the answer itself: recorded, or why not.
    context.calls.reply_direct(context.event, words[0], words[1].strip())
    return ""


async def iam(context: CommandContext, arguments: str) -> str:
    city_id = _one_word(context, arguments, "CITY").lower()
    event = context.event
    with context.store.begin() as tx:
        city = tx.cities.get(city_id)
        if city is None:
            raise UccnError(
                _(
                    context.language,
                    "there is no city “{city}”; use its id, such as lyon or granada-0",
                    city=clip(city_id, 60),
                )
            )
        point = tx.focal_points.identify(event.sender)
        if point is not None and point.city == city.id:
            return _(context.language, "You are already a focal point of {city}.", city=city.name)
        tx.link_requests.add(event.platform, event.sender.user_id, city.id)
        rooms = context.config.rooms.get(event.platform)
        if rooms and rooms.secretariat:
            tx.outbox.enqueue(
                f"link:{event.platform}:{event.event_id}",
                event.platform,
                OutboundMessage(
                    room=rooms.secretariat,
                    text=_(
                        context.config.language,
                        "{user} asks to be linked to {city}. "
                        "To approve: link approve {user} {city_id}",
                        user=neutralise(event.sender.user_id),
                        city=city.name,
                        city_id=city.id,
                    ),
                ),
                kind="notice",
            )
    return _(
        context.language,
        "Thank you. The Secretariat will confirm you as a focal point of {city}.",
        city=city.name,
    )


async def link_approve(context: CommandContext, arguments: str) -> str:
    words = arguments.split()
    if len(words) < 2:
        raise UccnError("write: link approve USER CITY [main|alternate]")
    handle, city_id = words[0], words[1].lower()
    role = Role(words[2]) if len(words) > 2 and words[2] in ("main", "alternate") else Role.MAIN
    platform = context.event.platform
    with context.store.begin() as tx:
        city = tx.cities.get(city_id)
        if city is None:
            raise UccnError(f"there is no city {clip(city_id, 60)!r}")
        existing = tx.focal_points.by_handle(platform, handle)
        point = FocalPoint(
            id=existing.id if existing else _point_id(city.id, handle),
            city=city.id,
            name=handle.lstrip("@").split(":")[0][:200] or handle,
            role=role,
            handles={**(existing.handles if existing else {}), platform: handle},
            language=existing.language
            if existing
            else city.languages[0]
            if city.languages
            else "en",
        )
        tx.focal_points.put(point)
        tx.link_requests.remove(platform, handle)
    filed = [o for o in context.calls.adopt_unlinked(platform, handle) if o.reply is not None]
    answer = _(
        context.language, "{user} now answers for {city}.", user=neutralise(handle), city=city.name
    )
    if filed:
        answer += " " + _(
            context.language,
            "Their earlier answers now count for the city: {count}.",
            count=len(filed),
        )
    return answer


async def link_list(context: CommandContext, arguments: str) -> str:
    with context.store.begin() as tx:
        requests = tx.link_requests.all()
    if not requests:
        return _(context.language, "No one is waiting to be linked.")
    return "\n".join(f"• {neutralise(h)} → {c} ({p})" for p, h, c in requests)


def _request(arguments: str) -> tuple[list[str], dict[str, str], str]:
    """A request's first line as words and key=value options, and the lines after it."""
    first, _newline, body = arguments.partition("\n")
    try:
        words = shlex.split(first)
    except ValueError as error:
        raise UccnError(f"the first line cannot be read ({error})") from None
    options = dict(word.split("=", 1) for word in words[1:] if "=" in word)
    return words, options, body


def _one_word(context: CommandContext, arguments: str, what: str) -> str:
    words = arguments.split()
    if len(words) != 1:
        raise UccnError(_(context.language, "give one {what}", what=what))
    return words[0]


def _point_id(city: str, handle: str) -> str:
    import hashlib

    return f"{city}-{hashlib.sha256(handle.encode()).hexdigest()[:8]}"


COMMANDS = [
    Command("help", "", N_("Show what you can ask me."), show_help),
    Command("call list", "", N_("List the calls and their state."), call_list),
    Command(
        "call status", "ID", N_("Who has answered a call."), call_status, secretariat_only=True
    ),
    Command(
        "call new",
        'ID deadline=… audience=field:music title="…"',
        N_("Write a call as a draft; the text and Q: lines follow."),
        call_new,
        secretariat_only=True,
    ),
    Command(
        "call open",
        "ID",
        N_("Post a draft call to its audience."),
        call_open,
        secretariat_only=True,
    ),
    Command(
        "call close",
        "ID",
        N_("Close a call and post its summary."),
        call_close,
        secretariat_only=True,
    ),
    Command(
        "call export",
        "ID [csv|json|md]",
        N_("Export a call's replies."),
        call_export_command,
        secretariat_only=True,
    ),
    Command("reply", "ID 1. … 2. …", N_("Answer a call without its thread."), reply),
    Command("iam", "CITY", N_("Ask to be linked to your city as its focal point."), iam),
    Command(
        "link approve",
        "USER CITY [main|alternate]",
        N_("Link someone to a city as its focal point."),
        link_approve,
        secretariat_only=True,
    ),
    Command("link list", "", N_("Who is waiting to be linked."), link_list, secretariat_only=True),
]


# -- announcements (the Secretariat's) -----------------------------------------------------

ANNOUNCE_USAGE = (
    'ID when="fri 10:00 local" audience=field:music [quiet=21:00-08:00] [skip=weekends]'
)


def _announcement_request(context: CommandContext, arguments: str) -> Announcement:
    """`ID when=… audience=… [tz=…] [quiet=…] [skip=…]`, then the text on the next lines."""
    from uccn_sdk.announcements.parsing import build

    words, options, body = _request(arguments)
    if not words or "=" in words[0]:
        raise UccnError(f"give an id first: {ANNOUNCE_USAGE}, then the text on the next lines")
    audience = _audience_option(options.get("audience", ""))
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


def _audience_option(spec: str) -> Audience:
    try:
        return Audience.parse(spec)
    except ValidationError as error:
        raise UccnError(f"audience: {describe_error(error)}") from None
    except ValueError as error:
        raise UccnError(str(error)) from None


async def announce_preview(context: CommandContext, arguments: str) -> str:
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.announcements.texts import preview_lines

    announcement = _announcement_request(context, arguments)
    preview = Announcements(context.store, context.config).preview(announcement)
    lines = preview_lines(preview, context.language, limit=15)
    return "\n".join([*lines, _(context.language, "Nothing is scheduled yet.")])


async def announce_new(context: CommandContext, arguments: str) -> str:
    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.announcements.texts import preview_lines

    announcement = _announcement_request(context, arguments)
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

    words, options, body = _request(arguments)
    if not words or "=" in words[0]:
        raise UccnError("give the id of the announcement to change first")
    schedule = parse_schedule(options["when"], options.get("tz")) if "when" in options else None
    quiet = options.get("quiet")
    audience = _audience_option(options["audience"]) if "audience" in options else None
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

        announcement_id = _one_word(context, arguments, "ID")
        moved = getattr(Announcements(context.store, context.config), action)(announcement_id)
        return _(
            context.language,
            "Announcement {id} is now {state}.",
            id=announcement_id,
            state=moved.state.value,
        )

    return handler


COMMANDS += [
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
