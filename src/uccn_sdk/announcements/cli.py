"""`uccn announce …`: announcements at a moment, on a rule, or at a local hour in each city."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from uccn_sdk.cli.audience import CITY, COUNTRY, EVERYONE, FIELD, REGION
from uccn_sdk.cli.audience import audience as audience_of
from uccn_sdk.cli.session import Session, fail, out
from uccn_sdk.cli.tables import print_table

if TYPE_CHECKING:
    from uccn_sdk.models import Announcement, Audience

app = typer.Typer(
    help="Schedule announcements: preview who gets what when, then list, edit, pause, cancel.",
    no_args_is_help=True,
)

WHEN_HELP = (
    "2026-12-04T10:00+01:00 (once), 'fri 10:00 local' (each city's own hour; also mon-fri, "
    "daily, or a date), or 'cron 0 10 * * fri' (with --tz)."
)


def _announcement(
    announcement_id: str,
    text: str | None,
    text_file: Path | None,
    when: str,
    tz: str | None,
    quiet: str | None,
    skip: list[str],
    audience: Audience,
) -> Announcement:
    from uccn_sdk.announcements.parsing import build

    if text_file is not None:
        text = text_file.read_text(encoding="utf-8")
    if not text:
        fail("give the announcement's text with --text or --text-file")
    return build(announcement_id, text, when=when, audience=audience, tz=tz, quiet=quiet, skip=skip)


def _show(session: Session, announcement: Announcement, *, stored: bool) -> None:
    from uccn_sdk.announcements.texts import preview_lines

    service = session.announcements
    preview = service.preview(announcement)
    for line in preview_lines(preview, session.config.language):
        out().print(line, markup=False, highlight=False)
    if not stored:
        out().print("Nothing is scheduled yet: `uccn announce new` with the same options does it.")


# Options shared by preview and new.
ID = typer.Argument(..., metavar="ID", help="A short id, such as music-day-2026.")
TEXT = typer.Option(None, "--text", help="The text to post (or --text-file).")
TEXT_FILE = typer.Option(None, "--text-file")
WHEN = typer.Option(..., "--when", help=WHEN_HELP)
TZ = typer.Option(None, "--tz", help="The zone a cron rule is read in (default UTC).")
QUIET = typer.Option(None, "--quiet", help="Local hours not to post in, such as 21:00-08:00.")
SKIP = typer.Option([], "--skip", help="Skip 'weekends' or 'holidays' of each city's country.")


@app.command("preview")
def preview(
    ctx: typer.Context,
    announcement_id: str = ID,
    text: str = TEXT,
    text_file: Path | None = TEXT_FILE,
    when: str = WHEN,
    tz: str | None = TZ,
    quiet: str | None = QUIET,
    skip: list[str] = SKIP,
    everyone: bool = EVERYONE,
    field: list[str] = FIELD,
    region: list[str] = REGION,
    country: list[str] = COUNTRY,
    city: list[str] = CITY,
) -> None:
    """Show who would get it, where, at which local and UTC time; schedule nothing."""
    audience = audience_of(everyone, field, region, country, city)
    announcement = _announcement(announcement_id, text, text_file, when, tz, quiet, skip, audience)
    _show(ctx.obj, announcement, stored=False)


@app.command("new")
def new(
    ctx: typer.Context,
    announcement_id: str = ID,
    text: str = TEXT,
    text_file: Path | None = TEXT_FILE,
    when: str = WHEN,
    tz: str | None = TZ,
    quiet: str | None = QUIET,
    skip: list[str] = SKIP,
    everyone: bool = EVERYONE,
    field: list[str] = FIELD,
    region: list[str] = REGION,
    country: list[str] = COUNTRY,
    city: list[str] = CITY,
) -> None:
    """Schedule an announcement; a running bot posts it when due."""
    from uccn_sdk.announcements.texts import preview_lines

    session: Session = ctx.obj
    audience = audience_of(everyone, field, region, country, city)
    announcement = _announcement(announcement_id, text, text_file, when, tz, quiet, skip, audience)
    result = session.announcements.schedule(announcement)
    for line in preview_lines(result, session.config.language, limit=20):
        out().print(line, markup=False, highlight=False)
    out().print(f"Announcement {announcement.id!r} is scheduled.")


@app.command("list")
def list_announcements(ctx: typer.Context) -> None:
    """List the announcements: state, schedule, next delivery."""
    from uccn_sdk.models.announcement import describe

    session: Session = ctx.obj
    found = session.announcements.listed()
    if not found:
        out().print("No announcements yet. `uccn announce new --help` shows how to write one.")
        return
    print_table(
        f"{len(found)} announcements",
        ["id", "state", "when", "next (UTC)"],
        [
            [
                item.announcement.id,
                item.announcement.state.value,
                describe(item.announcement.schedule),
                f"{item.upcoming:%Y-%m-%d %H:%M}" if item.upcoming else "-",
            ]
            for item in found
        ],
    )


@app.command("show")
def show(ctx: typer.Context, announcement_id: str = ID) -> None:
    """Show an announcement, its next deliveries, and what became of past ones."""
    session: Session = ctx.obj
    item = session.announcements.get(announcement_id)
    out().print(f"{item.announcement.id} ({item.announcement.state.value})")
    out().print(item.announcement.text, markup=False, highlight=False)
    if item.announcement.state.value == "scheduled":
        _show(session, item.announcement, stored=True)
    records = session.announcements.deliveries(announcement_id)
    if records:
        print_table(
            f"{len(records)} deliveries so far",
            ["room", "occurrence", "due (UTC)", "status", "reason"],
            [
                [r.room, r.occurrence, f"{r.due:%Y-%m-%d %H:%M}", r.status, r.reason or ""]
                for r in records
            ],
        )


@app.command("edit")
def edit(
    ctx: typer.Context,
    announcement_id: str = ID,
    text: str = typer.Option(None, "--text"),
    when: str = typer.Option(None, "--when", help=WHEN_HELP),
    tz: str | None = TZ,
    quiet: str | None = QUIET,
    everyone: bool = EVERYONE,
    field: list[str] = FIELD,
    region: list[str] = REGION,
    country: list[str] = COUNTRY,
    city: list[str] = CITY,
) -> None:
    """Change the text, the moment, the quiet hours or the audience; posts made stay made."""
    from uccn_sdk.announcements.parsing import parse_quiet, parse_schedule
    from uccn_sdk.announcements.texts import preview_lines
    from uccn_sdk.models import QuietHours

    session: Session = ctx.obj
    schedule = parse_schedule(when, tz) if when else None
    result = session.announcements.edit(
        announcement_id,
        text=text,
        schedule=schedule,
        audience=(
            audience_of(everyone, field, region, country, city)
            if everyone or field or region or country or city
            else None
        ),
        quiet_hours=QuietHours.model_validate(parse_quiet(quiet)) if quiet else None,
    )
    for line in preview_lines(result, session.config.language, limit=20):
        out().print(line, markup=False, highlight=False)
    out().print(f"Announcement {announcement_id!r} is changed.")


@app.command("pause")
def pause(ctx: typer.Context, announcement_id: str = ID) -> None:
    """Hold an announcement; nothing is posted until `resume`."""
    ctx.obj.announcements.pause(announcement_id)
    out().print(f"Announcement {announcement_id!r} is paused.")


@app.command("resume")
def resume(ctx: typer.Context, announcement_id: str = ID) -> None:
    """Schedule a paused announcement again (what fell due meanwhile is not sent)."""
    ctx.obj.announcements.resume(announcement_id)
    out().print(f"Announcement {announcement_id!r} is scheduled again.")


@app.command("cancel")
def cancel(ctx: typer.Context, announcement_id: str = ID) -> None:
    """Cancel an announcement for good, with its posts not sent yet."""
    ctx.obj.announcements.cancel(announcement_id)
    out().print(f"Announcement {announcement_id!r} is cancelled.")
