"""The console's pages: sign in and out, the calls, a call with its map and table, its export,
and closing it. Each handler loads what it shows in a thread (the store is synchronous) and
renders it; the Secretariat sees every city, a focal point their own city only."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web

from uccn_sdk.audience import audience_cities, reaches
from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.service import Calls
from uccn_sdk.calls.texts import deadline_text
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Call, CallState, City, Reply
from uccn_sdk.runtime.context import Runtime
from uccn_web.app import RUNTIME, SESSION_COOKIE, SETTINGS, Viewer, page, viewer
from uccn_web.worldmap import Dot, State, world_map

CALL_STATES = (N_("draft"), N_("open"), N_("closed"))
"""A call's state, as the pages say it."""
STATES: dict[State, str] = {
    "answered": N_("answered"),
    "reminded": N_("reminded, not answered"),
    "waiting": N_("not answered"),
}


def add_routes(app: web.Application) -> None:
    app.router.add_get("/signin/{token}", signin_form)
    app.router.add_post("/signin/{token}", signin)
    app.router.add_get("/signed-out", signed_out)
    app.router.add_post("/signout", signout)
    app.router.add_get("/", calls)
    app.router.add_get("/calls/{call}", call_page)
    app.router.add_get("/calls/{call}/cities/{city}", city_answer)
    app.router.add_get("/calls/{call}/export/{format}", export)
    app.router.add_post("/calls/{call}/close", close)


# -- signing in and out --------------------------------------------------------------------


async def signin_form(request: web.Request) -> web.Response:
    """A button, not a sign-in: link previews (Slack's unfurling, a homeserver's URL preview)
    open the link too, and must not spend it."""
    return page(request, "signin.html", token=request.match_info["token"])


async def signin(request: web.Request) -> web.StreamResponse:
    runtime, settings = request.app[RUNTIME], request.app[SETTINGS]

    def start() -> str | None:
        with runtime.store.begin() as tx:
            sender = tx.signins.redeem(request.match_info["token"], runtime.clock())
            if sender is None:
                return None
            lifetime = timedelta(hours=settings.session_hours)
            return tx.signins.start(sender, runtime.clock(), lifetime)

    session = await asyncio.to_thread(start)
    if session is None:
        return page(request, "refused.html", status=400, reason="link")
    response = web.HTTPSeeOther("/")
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=settings.session_hours * 3600,
        httponly=True,
        secure=settings.url.startswith("https://"),
        samesite="Lax",
        path="/",
    )
    raise response


async def signed_out(request: web.Request) -> web.Response:
    return page(request, "signed_out.html")


async def signout(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    cookie = request.cookies[SESSION_COOKIE]

    def end() -> None:
        with runtime.store.begin() as tx:
            tx.signins.end(cookie, runtime.clock())

    await asyncio.to_thread(end)
    response = web.HTTPSeeOther("/signed-out")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


# -- calls ---------------------------------------------------------------------------------


@dataclass
class CallLine:
    call: Call
    answered: int
    cities: int
    deadline: str


def _calls(runtime: Runtime, who: Viewer) -> list[CallLine]:
    with runtime.store.begin() as tx:
        found = tx.calls.all()
        city = tx.cities.get(who.city) if who.city else None
        lines = []
        for call in sorted(found, key=lambda c: c.deadline, reverse=True):
            if not who.secretariat and (
                call.state is CallState.DRAFT or city is None or not reaches(call.audience, city)
            ):
                continue
            audience = {c.id for c in audience_cities(tx, call.audience)}
            replies = [r for r in tx.replies.for_call(call.id) if not r.withdrawn]
            answered = len([r for r in replies if r.city in audience])
            deadline = deadline_text(call.deadline, city.timezone if city else None)
            lines.append(CallLine(call, answered, len(audience), deadline))
    return lines


async def calls(request: web.Request) -> web.Response:
    who = viewer(request)
    lines = await asyncio.to_thread(_calls, request.app[RUNTIME], who)
    return page(request, "calls.html", lines=lines)


@dataclass
class CityLine:
    city: City
    state: State
    reply: Reply | None


@dataclass
class CallView:
    call: Call
    lines: list[CityLine]
    shown: list[CityLine]
    fields: list[str]
    regions: list[str]
    counts: dict[State, int] = field(default_factory=dict)


def _call(runtime: Runtime, who: Viewer, call_id: str, query: dict[str, str]) -> CallView | None:
    with runtime.store.begin() as tx:
        call = tx.calls.get(call_id)
        if call is None or (not who.secretariat and call.state is CallState.DRAFT):
            return None
        cities = audience_cities(tx, call.audience)
        if not who.secretariat:
            cities = [c for c in cities if c.id == who.city]
            if not cities:
                return None
        replies = {r.city: r for r in tx.replies.for_call(call.id) if not r.withdrawn}
        reminded = {r.city for r in tx.outbox.for_call(call.id, "reminder") if r.city}
    lines = [
        CityLine(
            city,
            "answered" if city.id in replies else "reminded" if city.id in reminded else "waiting",
            replies.get(city.id),
        )
        for city in cities
    ]
    shown = [
        line
        for line in lines
        if query.get("field", "") in ("", line.city.field)
        and query.get("region", "") in ("", line.city.region or "")
        and query.get("state", "") in ("", line.state)
    ]
    counts = {state: sum(1 for line in lines if line.state == state) for state in STATES}
    return CallView(
        call,
        lines,
        shown,
        sorted({line.city.field for line in lines}),
        sorted({line.city.region for line in lines if line.city.region}),
        counts,
    )


async def call_page(request: web.Request) -> web.Response:
    who = viewer(request)
    query = {k: request.query.get(k, "") for k in ("field", "region", "state")}
    found = await asyncio.to_thread(
        _call, request.app[RUNTIME], who, request.match_info["call"], query
    )
    if found is None:
        return page(request, "refused.html", status=404, reason="call")
    labels: dict[str, str] = {state: _(who.language, label) for state, label in STATES.items()}
    drawn = world_map(
        [Dot.of(line.city, line.state) for line in found.shown],
        title=_(who.language, "Who answered “{title}”", title=found.call.title),
        labels=labels,
    )
    formats = sorted(
        key.partition(":")[2]
        for key in request.app[RUNTIME].plugins.exporters().entries
        if key.startswith("replies:")
    )
    return page(
        request,
        "call.html",
        view=found,
        map=drawn,
        labels=labels,
        query=query,
        formats=formats,
    )


def _answer(
    runtime: Runtime, who: Viewer, call_id: str, city_id: str
) -> tuple[Call, City, Reply | None] | None:
    with runtime.store.begin() as tx:
        call, city = tx.calls.get(call_id), tx.cities.get(city_id)
        if call is None or city is None or not reaches(call.audience, city):
            return None
        if not who.secretariat and (city.id != who.city or call.state is CallState.DRAFT):
            return None
        return call, city, tx.replies.get(call.id, city.id)


async def city_answer(request: web.Request) -> web.Response:
    """A city's answer to a call, and every earlier version of it, newest first."""
    info = request.match_info
    found = await asyncio.to_thread(
        _answer, request.app[RUNTIME], viewer(request), info["call"], info["city"]
    )
    if found is None:
        return page(request, "refused.html", status=404, reason="call")
    call, city, reply = found
    return page(request, "city_answer.html", call=call, city=city, reply=reply)


async def export(request: web.Request) -> web.StreamResponse:
    who = viewer(request)
    if not who.secretariat:
        return page(request, "refused.html", status=403, reason="secretariat")
    runtime = request.app[RUNTIME]
    call_id, name = request.match_info["call"], request.match_info["format"]
    exporter = runtime.plugins.exporters().get(f"replies:{name}")
    found = await asyncio.to_thread(call_export, runtime.store, call_id)
    if exporter is None or found is None:
        return page(request, "refused.html", status=404, reason="call")
    out = io.StringIO()
    exporter.write([found], out)
    disposition = f'attachment; filename="{call_id}.{name}"'
    return web.Response(
        text=out.getvalue(),
        content_type=_MIMETYPES.get(name, "text/plain"),
        headers={"Content-Disposition": disposition},
    )


_MIMETYPES = {"csv": "text/csv", "json": "application/json", "md": "text/markdown"}


async def close(request: web.Request) -> web.StreamResponse:
    who = viewer(request)
    if not who.secretariat:
        return page(request, "refused.html", status=403, reason="secretariat")
    runtime = request.app[RUNTIME]
    call_id = request.match_info["call"]
    try:
        await asyncio.to_thread(Calls.of(runtime).close, call_id)
    except UccnError as error:
        return page(
            request, "refused.html", status=409, reason="error", error=error.said(who.language)
        )
    raise web.HTTPSeeOther(f"/calls/{call_id}")
