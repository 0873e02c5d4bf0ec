"""The chat commands of calls: write, open, follow, close and export them; answer one."""

from __future__ import annotations

import io
import mimetypes

from pydantic import ValidationError

from uccn_sdk.arguments import body, option, rest, word
from uccn_sdk.audience import audience_cities
from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.parsing import DEADLINE_SYNTAX, question_spec, read_deadline
from uccn_sdk.calls.service import Calls
from uccn_sdk.calls.texts import SHOWN_MISSING, not_answered, summary_text
from uccn_sdk.chat.events import MAX_ATTACHMENT, Attachment
from uccn_sdk.chat.safety import clip, neutralise
from uccn_sdk.commands import (
    Arguments,
    CommandContext,
    audience_option,
    command,
    command_prefix,
)
from uccn_sdk.errors import NotValid, UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Call, CallState

SHOWN_UNREACHED = 20
"""How many of the cities no room reaches `call open` names; the rest are counted."""


@command("call list", N_("List the calls and their state."))
async def call_list(context: CommandContext, arguments: Arguments) -> str:
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


@command("call status", N_("Who has answered a call."), word("id"), secretariat_only=True)
async def call_status(context: CommandContext, arguments: Arguments) -> str:
    summary = Calls.of(context.runtime).summary(arguments["id"])
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


@command(
    "call new",
    N_("Write a call as a draft; the text and Q: lines follow."),
    word("id"),
    option("deadline", DEADLINE_SYNTAX, required=True, read=read_deadline),
    option("audience", "field:music", required=True, read=audience_option),
    option("title", '"…"', required=True),
    option("text", '"…"'),
    option("language", "fr"),
    body("body"),
    secretariat_only=True,
)
async def call_new(context: CommandContext, arguments: Arguments) -> str:
    """`call new ID deadline=… audience=field:music,city:lyon title="…"` then text and Q: lines."""
    text_lines: list[str] = []
    questions: list[dict[str, object]] = []
    for line in arguments["body"].splitlines():
        if line.strip().lower().startswith("q:"):  # written as on the command line (-q)
            questions.append(question_spec(len(questions) + 1, line.strip()[2:]))
        else:
            text_lines.append(line)
    try:
        call = Call.draft(
            {
                "id": arguments["id"],
                "title": arguments["title"],
                "text": "\n".join(text_lines).strip() or arguments["text"] or "",
                "deadline": arguments["deadline"],
                "audience": arguments["audience"],
                "questions": questions,
                "language": arguments["language"] or context.language,
            }
        )
    except ValidationError as error:
        raise NotValid(error) from None
    except ValueError as error:
        if isinstance(error, UccnError):
            raise
        raise UccnError(str(error)) from None
    Calls.of(context.runtime).create(call)
    return _(
        context.language,
        "Call {call} saved as a draft; “{prefix}call open {call}” posts it.",
        call=call.id,
        prefix=command_prefix(context.event),
    )


@command("call open", N_("Post a draft call to its audience."), word("id"), secretariat_only=True)
async def call_open(context: CommandContext, arguments: Arguments) -> str:
    call_id = arguments["id"]
    opening = Calls.of(context.runtime).open(call_id)
    said = _(
        context.language,
        "Call {call} is open. Rooms it goes to: {posts}.",
        call=call_id,
        posts=opening.posts,
    )
    if opening.unreached:  # said now, not only by `call status`
        shown = ", ".join(opening.unreached[:SHOWN_UNREACHED])
        more = len(opening.unreached) - SHOWN_UNREACHED
        said += " " + _(
            context.language,
            "No room reaches {count} of its cities: {cities}.",
            count=len(opening.unreached),
            cities=shown + (f" (+{more})" if more > 0 else ""),
        )
    return said


@command("call close", N_("Close a call and post its summary."), word("id"), secretariat_only=True)
async def call_close(context: CommandContext, arguments: Arguments) -> str:
    call_id = arguments["id"]
    event, rooms = context.event, context.runtime.config.rooms
    here = (event.platform, event.room)
    in_secretariat = here in {(p, r.secretariat) for p, r in rooms.items() if r.secretariat}
    calls = Calls.of(context.runtime)
    summary = calls.close(call_id, answered_in=here if in_secretariat else None)
    if in_secretariat:  # the summary posted there is this answer: one message, not two
        with context.store.begin() as tx:
            call = tx.calls.require(call_id)
            names = {c.id: c.name for c in audience_cities(tx, call.audience)}
        return summary_text(context.language, summary, names)
    return _(
        context.language,
        "Call {call} is closed: {answered} of {targets} cities answered.",
        call=call_id,
        answered=len(summary.answered),
        targets=summary.targets,
    )


@command(
    "call remind",
    N_("Remind now the cities that have not answered a call."),
    word("id"),
    secretariat_only=True,
)
async def call_remind(context: CommandContext, arguments: Arguments) -> str:
    queued = Calls.of(context.runtime).remind_now(arguments["id"])
    return _(
        context.language,
        "Reminders queued: {count} (a city is reminded at most once a day).",
        count=queued,
    )


@command(
    "call export",
    N_("Export a call's replies."),
    word("id"),
    word("format", optional=True, choices=("csv", "json", "md"), default="md"),
    secretariat_only=True,
)
async def call_export_command(context: CommandContext, arguments: Arguments) -> str:
    call_id = arguments["id"]
    exporter = context.plugins.exporters().get(f"replies:{arguments['format']}")
    if exporter is None:
        raise UccnError(
            N_("no export format {format}; use csv, json or md"), format=repr(arguments["format"])
        )
    export = call_export(context.store, call_id)
    if export is None:
        raise UccnError(N_("There is no call {call}."), call=call_id)
    out = io.StringIO()
    exporter.write([export], out)
    text = out.getvalue()
    command = f"uccn calls export {call_id} --format {arguments['format']}"
    if len(text.encode()) > MAX_ATTACHMENT:
        return _(
            context.language,
            "The export is too large for chat; run “{command}” instead.",
            command=command,
        )
    name = f"{call_id}.{arguments['format']}"
    context.attachment = Attachment(
        name=name,
        mimetype=mimetypes.guess_type(name)[0] or "text/plain",
        text=text,
        fallback=_(
            context.language,
            "No file can be posted here: run “{command}” to get the export.",
            command=command,
        ),
    )
    answered = sum(1 for row in export.rows if row.reply and not row.reply.withdrawn)
    title = clip(export.call.title, 80)
    if len(export.rows) == 1:
        return _(
            context.language,
            "The answers to “{title}”: {answered} of 1 city, in the file {name}.",
            title=title,
            answered=answered,
            name=name,
        )
    return _(
        context.language,
        "The answers to “{title}”: {answered} of {cities} cities, in the file {name}.",
        title=title,
        answered=answered,
        cities=len(export.rows),
        name=name,
    )


@command("reply", N_("Answer a call without its thread."), word("id"), rest("answers", "1. … 2. …"))
async def reply(context: CommandContext, arguments: Arguments) -> str:
    """The answers may start on the call id's line or the next."""
    # The call service queues the answer itself: recorded, or why not.
    Calls.of(context.runtime).reply_direct(context.event, arguments["id"], arguments["answers"])
    return ""


COMMANDS = [
    call_list,
    call_status,
    call_new,
    call_open,
    call_close,
    call_remind,
    call_export_command,
    reply,
]
