"""`uccn calls …`: calls for contributions, from the command line."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from uccn_sdk.calls.parsing import DEADLINE_SYNTAX, QUESTION_SYNTAX, question_spec, read_deadline
from uccn_sdk.cli.session import Session, err, fail, out
from uccn_sdk.cli.tables import print_table

app = typer.Typer(
    help="Write, open, follow, close and export calls for contributions.", no_args_is_help=True
)


class ReplyFormat(StrEnum):
    csv = "csv"
    json = "json"
    md = "md"


@app.command("new")
def new_call(
    ctx: typer.Context,
    call_id: str = typer.Argument(..., metavar="ID", help="A short id, such as survey-2026."),
    title: str = typer.Option(..., "--title"),
    text: str = typer.Option(None, "--text", help="The call's text (or --text-file)."),
    text_file: Path | None = typer.Option(None, "--text-file"),
    deadline: str = typer.Option(..., "--deadline", help=f"With its offset: {DEADLINE_SYNTAX}."),
    question: list[str] = typer.Option(
        [],
        "--question",
        "-q",
        help=f"Repeatable: {QUESTION_SYNTAX} (as a Q: line in chat).",
    ),
    everyone: bool = typer.Option(False, "--everyone", help="Every member city."),
    field: list[str] = typer.Option([], "--field", help="A field's sub-network; repeatable."),
    region: list[str] = typer.Option([], "--region", help="A UNESCO region; repeatable."),
    country: list[str] = typer.Option([], "--country", help="A country code; repeatable."),
    city: list[str] = typer.Option([], "--city", help="A city id; repeatable."),
    language: str = typer.Option("en", "--language"),
) -> None:
    """Write a call as a draft; `uccn calls open ID` posts it."""
    from pydantic import ValidationError

    from uccn_sdk.models import Call

    session: Session = ctx.obj
    if text_file is not None:
        text = text_file.read_text(encoding="utf-8")
    if not text:
        fail("give the call's text with --text or --text-file")
    try:
        when = read_deadline(deadline)
    except ValueError as error:
        fail(f"--deadline: {error}")
    data: dict[str, object] = {
        "id": call_id,
        "title": title,
        "text": text,
        "deadline": when,
        "language": language,
        "questions": [question_spec(n, spec) for n, spec in enumerate(question, start=1)],
        "audience": {
            "everyone": everyone,
            "fields": field,
            "regions": region,
            "countries": country,
            "cities": city,
        },
    }
    try:
        call = Call.draft(data)
    except ValidationError as error:
        from uccn_sdk.errors import describe_error

        fail(f"the call is not valid: {describe_error(error)}")
    except ValueError as error:
        fail(str(error))
    session.calls.create(call)
    out().print(f"Call {call.id!r} saved as a draft. `uccn calls open {call.id}` posts it.")


@app.command("open")
def open_call(ctx: typer.Context, call_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Open a draft: queue one post per room that reaches its audience."""
    session: Session = ctx.obj
    opening = session.calls.open(call_id)
    rooms = "room" if opening.posts == 1 else "rooms"
    out().print(f"Call {call_id!r} is open; the bot posts it to {opening.posts} {rooms}.")
    if opening.unreached:
        err().print(
            f"{len(opening.unreached)} cities have no room in the room map: "
            + ", ".join(opening.unreached[:20])
            + (" …" if len(opening.unreached) > 20 else "")
        )


@app.command("close")
def close_call(ctx: typer.Context, call_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Close an open call: no more replies; the summary goes to the Secretariat's rooms."""
    session: Session = ctx.obj
    summary = session.calls.close(call_id)
    out().print(
        f"Call {call_id!r} is closed: {len(summary.answered)} of {summary.targets} cities "
        f"answered ({summary.rate:.0%})."
    )


@app.command("list")
def list_calls(ctx: typer.Context) -> None:
    """List the calls with their state, deadline and replies so far."""
    session: Session = ctx.obj
    with session.store.begin() as tx:
        calls = tx.calls.all()
        counts = {c.id: len(tx.replies.for_call(c.id)) for c in calls}
    rows = [
        (c.id, c.state.value, c.deadline.isoformat(timespec="minutes"), str(counts[c.id]), c.title)
        for c in sorted(calls, key=lambda c: c.deadline)
    ]
    print_table(f"{len(calls)} calls", ("id", "state", "deadline", "replies", "title"), rows)


@app.command("status")
def call_status(ctx: typer.Context, call_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Who has answered a call, by field and region, and who has not."""
    session: Session = ctx.obj
    summary = session.calls.summary(call_id)
    out().print(
        f"{summary.title}: {len(summary.answered)} of {summary.targets} cities answered "
        f"({summary.rate:.0%})."
    )
    for heading, table in (("field", summary.by_field), ("region", summary.by_region)):
        rows = [(name, str(a), str(t), f"{a / t:.0%}") for name, (a, t) in sorted(table.items())]
        print_table(f"By {heading}", (heading, "answered", "of", "rate"), rows)
    if summary.missing:
        out().print("Not answered: " + ", ".join(summary.missing))
    if summary.unlinked:
        out().print(f"{summary.unlinked} answers from people not linked to a city.")


@app.command("export")
def export_call(
    ctx: typer.Context,
    call_id: str = typer.Argument(..., metavar="ID"),
    output_format: ReplyFormat = typer.Option(ReplyFormat.csv, "--format"),
    output: Path | None = typer.Option(None, "--output", "-o"),
) -> None:
    """Export a call's replies: one row per city in its audience."""
    from uccn_sdk.calls.export import call_export

    session: Session = ctx.obj
    export = call_export(session.store, call_id)
    if export is None:
        fail(f"there is no call {call_id!r}; `uccn calls list` shows the calls")
    exporter = session.plugins.exporters().get(f"replies:{output_format.value}")
    if exporter is None:
        fail(f"no exporter writes replies as {output_format.value!r}")
    if output is None:
        exporter.write([export], sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        count = exporter.write([export], handle)
    err().print(f"Wrote {count} rows to {output}.")
