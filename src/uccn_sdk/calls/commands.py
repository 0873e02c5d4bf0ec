"""The chat commands of calls: write, open, follow, close and export them; answer one."""

from __future__ import annotations

import io
from datetime import datetime

from pydantic import ValidationError

from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.parsing import question_spec
from uccn_sdk.calls.texts import SHOWN_MISSING, not_answered
from uccn_sdk.chat.safety import neutralise
from uccn_sdk.commands import Command, CommandContext, audience_option, one_word, request_parts
from uccn_sdk.errors import UccnError, describe_error
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Call, CallState

MAX_EXPORT = 30_000
"""The longest export posted in chat; longer ones are for the command line."""


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
    call_id = one_word(context.language, arguments, "ID")
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
    words, options, body = request_parts(arguments)
    if not words:
        raise UccnError("give an id, deadline=…, audience=… and title=…")
    audience = audience_option(options.get("audience", ""))
    text_lines: list[str] = []
    questions: list[dict[str, object]] = []
    for line in body.splitlines():
        if line.strip().lower().startswith("q:"):  # written as on the command line (-q)
            questions.append(question_spec(len(questions) + 1, line.strip()[2:]))
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
    call_id = one_word(context.language, arguments, "ID")
    opening = context.calls.open(call_id)
    return _(
        context.language,
        "Call {call} is open. Rooms it goes to: {posts}.",
        call=call_id,
        posts=opening.posts,
    )


async def call_close(context: CommandContext, arguments: str) -> str:
    call_id = one_word(context.language, arguments, "ID")
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


COMMANDS = [
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
]
