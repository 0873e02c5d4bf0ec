"""A new announcement on the web: written as in chat (when, audience, quiet hours, days
skipped), previewed as "who gets what when" (each room's post in its local time and in UTC,
the skipped ones with their reason, and a timeline of the posts over the coming day drawn on
the server), then scheduled."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from aiohttp import web
from multidict import MultiDictProxy

from uccn_sdk.announcements.parsing import build
from uccn_sdk.announcements.plan import Delivery
from uccn_sdk.announcements.service import Announcements, Preview
from uccn_sdk.commands import audience_option
from uccn_sdk.errors import UccnError
from uccn_sdk.runtime.context import Runtime
from uccn_web.app import RUNTIME, Viewer, page, secretariat_only, viewer

WIDTH, ROW = 960, 22
"""The timeline's width, and the height of one room's line, in SVG units."""


@dataclass
class Drafted:
    id: str = ""
    text: str = ""
    when: str = ""
    tz: str = ""
    audience: str = ""
    quiet: str = ""
    skip: list[str] = field(default_factory=list)


@dataclass
class Previewed:
    problem: str = ""
    preview: Preview | None = None
    rows: list[tuple[Delivery, str, str]] = field(default_factory=list)
    """Each delivery, with its local time and its skip reason in the reader's words."""
    timeline: str = ""


def _preview(runtime: Runtime, drafted: Drafted, who: Viewer, keep: bool) -> Previewed:
    service = Announcements(runtime.store, runtime.config, runtime.clock)
    try:
        announcement = build(
            drafted.id,
            drafted.text,
            when=drafted.when,
            audience=audience_option(drafted.audience or " "),
            tz=drafted.tz or None,
            quiet=drafted.quiet or None,
            skip=drafted.skip,
            created_by=who.sender.user_id,
        )
        preview = service.schedule(announcement) if keep else service.preview(announcement)
    except UccnError as error:
        return Previewed(problem=error.said(who.language))
    if keep:
        with runtime.store.begin() as tx:
            tx.audit.record(runtime.clock(), who.sender, "announce new", drafted.id, "web console")
    rows = [
        (
            delivery,
            f"{delivery.local:%a %Y-%m-%d %H:%M}" if delivery.local else "?",
            delivery.skipped.said(who.language) if delivery.skipped else "",
        )
        for delivery in sorted(preview.deliveries, key=lambda d: d.due)
    ]
    return Previewed(preview=preview, rows=rows, timeline=timeline(preview.deliveries))


def timeline(deliveries: list[Delivery]) -> str:
    """The posts as dots on a line of time from the first to the last (at least a day), one line
    per room; a skipped one hollow. Text is escaped: room names come from the configuration."""
    if not deliveries:
        return ""
    start = min(d.due for d in deliveries)
    span = max(max(d.due for d in deliveries) - start, timedelta(days=1))
    rooms = sorted({d.slot.room for d in deliveries})
    height = ROW * (len(rooms) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} '
        f'{height}" role="img" aria-label="{escape(_span(start, span))}">'
    ]
    for hour in range(0, int(span.total_seconds() // 3600) + 1, 6):
        x = 200 + (WIDTH - 220) * hour * 3600 / span.total_seconds()
        moment = start + timedelta(hours=hour)
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#d0d7de"/>')
        parts.append(
            f'<text x="{x + 3:.1f}" y="{height - 6}" font-size="11" fill="#57606a">'
            f"{moment:%a %H:%M} UTC</text>"
        )
    for line, room in enumerate(rooms):
        y = ROW * line + ROW / 2 + 4
        parts.append(f'<text x="4" y="{y + 4:.1f}" font-size="12">{escape(room[:28])}</text>')
        for delivery in (d for d in deliveries if d.slot.room == room):
            offset = (delivery.due - start).total_seconds() / span.total_seconds()
            x = 200 + (WIDTH - 220) * offset
            fill = "none" if delivery.skipped else "#0b5cad"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{fill}" stroke="#0b5cad">'
                f"<title>{escape(room)}: {delivery.due:%Y-%m-%d %H:%M} UTC</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _span(start: datetime, span: timedelta) -> str:
    return f"{start:%Y-%m-%d %H:%M} UTC + {span}"


def _drafted(form: MultiDictProxy[str | bytes | bytearray | web.FileField]) -> Drafted:
    def text(name: str) -> str:
        value = form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    skip = [word for word in ("weekends", "holidays") if text(f"skip-{word}") == "yes"]
    return Drafted(
        text("id"), text("text"), text("when"), text("tz"), text("audience"), text("quiet"), skip
    )


@secretariat_only
async def new_announcement_form(request: web.Request) -> web.Response:
    return page(request, "new_announcement.html", drafted=Drafted(), previewed=Previewed())


@secretariat_only
async def new_announcement(request: web.Request) -> web.StreamResponse:
    who = viewer(request)
    form = await request.post()
    drafted = _drafted(form)
    keep = form.get("do") == "schedule"
    previewed = await asyncio.to_thread(_preview, request.app[RUNTIME], drafted, who, keep)
    if keep and not previewed.problem:
        raise web.HTTPSeeOther(f"/announcements/{drafted.id}")
    status = 400 if previewed.problem else 200
    return page(
        request, "new_announcement.html", status=status, drafted=drafted, previewed=previewed
    )
