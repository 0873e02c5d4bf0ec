"""The Secretariat's announcements on the web: the list with each one's state and next post,
and an announcement's page with every delivery as it is now (queued, sent, failed, skipped or
missed, with the reason), and pause, resume and cancel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from uccn_sdk.announcements import phrases
from uccn_sdk.announcements.repository import DeliveryRecord, ScheduledAnnouncement
from uccn_sdk.announcements.service import Announcements
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.models.announcement import describe
from uccn_sdk.runtime.context import Runtime
from uccn_web import scheduling
from uccn_web.app import RUNTIME, act, page, secretariat_only, viewer

STATUSES = (N_("queued"), N_("sent"), N_("failed"), N_("skipped"), N_("missed"))
"""What became of a delivery, as the page says it."""


def add_routes(app: web.Application) -> None:
    app.router.add_get("/announcements", announcements)
    app.router.add_get("/announcements/new", scheduling.new_announcement_form)
    app.router.add_post("/announcements/new", scheduling.new_announcement)
    app.router.add_get("/announcements/{announcement}", announcement_page)
    for action in ("pause", "resume", "cancel"):
        app.router.add_post(f"/announcements/{{announcement}}/{action}", _moved(action))


def _service(runtime: Runtime) -> Announcements:
    return Announcements(runtime.store, runtime.config, runtime.clock)


@dataclass
class Line:
    scheduled: ScheduledAnnouncement
    schedule: str
    state: str


def _lines(runtime: Runtime, language: str) -> list[Line]:
    return [
        Line(
            found,
            describe(found.announcement.schedule, language),
            phrases.state(found.announcement.state).said(language),
        )
        for found in _service(runtime).listed()
    ]


@secretariat_only
async def announcements(request: web.Request) -> web.Response:
    who = viewer(request)
    lines = await asyncio.to_thread(_lines, request.app[RUNTIME], who.language)
    return page(request, "announcements.html", lines=lines)


def _one(
    runtime: Runtime, announcement_id: str, language: str
) -> tuple[Line, list[DeliveryRecord]] | None:
    service = _service(runtime)
    try:
        found = service.get(announcement_id)
        records = service.deliveries(announcement_id)
    except UccnError:
        return None
    line = Line(
        found,
        describe(found.announcement.schedule, language),
        phrases.state(found.announcement.state).said(language),
    )
    return line, sorted(records, key=lambda r: (r.due, r.room), reverse=True)


@secretariat_only
async def announcement_page(request: web.Request) -> web.Response:
    who = viewer(request)
    found = await asyncio.to_thread(
        _one, request.app[RUNTIME], request.match_info["announcement"], who.language
    )
    if found is None:
        return page(request, "refused.html", status=404, reason="announcement")
    line, records = found
    return page(request, "announcement.html", line=line, records=records)


def _moved(action: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handler(request: web.Request) -> web.StreamResponse:
        announcement_id = request.match_info["announcement"]
        return await act(
            request,
            f"announce {action}",
            announcement_id,
            lambda runtime: getattr(_service(runtime), action)(announcement_id),
            lambda _moved: f"/announcements/{announcement_id}",
        )

    return handler
