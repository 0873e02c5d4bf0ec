"""The console's pages: sign in and out, the calls, a call with its map and table, its export,
and closing it. Each handler loads what it shows in a thread (the store is synchronous) and
renders it; the Secretariat sees every city, a focal point their own city only."""

from __future__ import annotations

import asyncio
import io
import mimetypes
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web

from uccn_sdk.audience import audience_cities, reaches, rooms_for
from uccn_sdk.calls.export import call_export
from uccn_sdk.calls.repository import Brief
from uccn_sdk.calls.service import Calls
from uccn_sdk.calls.texts import deadline_text
from uccn_sdk.chat.events import FormSubmission
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Call, CallState, City, Reply
from uccn_sdk.people.audit import Entry
from uccn_sdk.runtime.context import Runtime
from uccn_web import announcing, directory, rounds, writing
from uccn_web.app import (
    RUNTIME,
    SESSION_COOKIE,
    SETTINGS,
    Viewer,
    act,
    page,
    secretariat_only,
    viewer,
)
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
    app.router.add_get("/audit", audit)
    announcing.add_routes(app)
    directory.add_routes(app)
    rounds.add_routes(app)
    app.router.add_get("/calls/new", writing.new_call_form)
    app.router.add_post("/calls/new", writing.new_call)
    app.router.add_get("/calls/{call}", call_page)
    app.router.add_post("/calls/{call}/open", open_call)
    app.router.add_get("/calls/{call}/cities/{city}", city_answer)
    app.router.add_get("/calls/{call}/export/{format}", export)
    app.router.add_post("/calls/{call}/close", close)
    app.router.add_post("/calls/{call}/remind", remind)
    app.router.add_get("/calls/{call}/answer", answer_form)
    app.router.add_post("/calls/{call}/answer", answer)


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
    reply: Brief | None


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
        replies = {brief.city: brief for brief in tx.replies.briefly(call.id)}
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
        answered=request.query.get("answered") == "1",
        reminded=request.query.get("reminded", ""),
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


@secretariat_only
async def export(request: web.Request) -> web.StreamResponse:
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
        content_type=mimetypes.guess_type(f"{call_id}.{name}")[0] or "text/plain",
        headers={"Content-Disposition": disposition},
    )


async def remind(request: web.Request) -> web.StreamResponse:
    """Remind now every city that has not answered (once a day, however often pressed)."""
    call_id = request.match_info["call"]
    return await act(
        request,
        "call remind",
        call_id,
        lambda runtime: Calls.of(runtime).remind_now(call_id),
        lambda queued: f"/calls/{call_id}?reminded={queued}",
    )


async def open_call(request: web.Request) -> web.StreamResponse:
    """A draft opened: posted to every room that reaches its audience."""
    call_id = request.match_info["call"]
    return await act(
        request,
        "call open",
        call_id,
        lambda runtime: Calls.of(runtime).open(call_id),
        lambda _opening: f"/calls/{call_id}",
    )


async def close(request: web.Request) -> web.StreamResponse:
    call_id = request.match_info["call"]
    return await act(
        request,
        "call close",
        call_id,
        lambda runtime: Calls.of(runtime).close(call_id),
        lambda _summary: f"/calls/{call_id}",
    )


# -- a focal point's answer ----------------------------------------------------------------


def _form(runtime: Runtime, who: Viewer, call_id: str) -> tuple[Call, dict[str, str]] | None:
    """The open call `who` answers for their city, and their city's current answers."""
    with runtime.store.begin() as tx:
        call = tx.calls.get(call_id)
        city = tx.cities.get(who.city) if who.city else None
        if call is None or city is None or call.state is not CallState.OPEN:
            return None
        if not reaches(call.audience, city):
            return None
        reply = tx.replies.get(call.id, city.id)
    given = {} if reply is None or reply.withdrawn else reply.answers
    return call, {key: _shown(value) for key, value in given.items()}


def _shown(value: object) -> str:
    """An answer as a form shows it: 12, not 12.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)


async def answer_form(request: web.Request) -> web.Response:
    who = viewer(request)
    if who.city is None:
        return page(request, "refused.html", status=403, reason="focal-point")
    found = await asyncio.to_thread(_form, request.app[RUNTIME], who, request.match_info["call"])
    if found is None:
        return page(request, "refused.html", status=404, reason="call")
    call, given = found
    return page(request, "answer.html", call=call, given=given, problems={})


def _submit(runtime: Runtime, who: Viewer, call: Call, given: dict[str, str]) -> dict[str, str]:
    """Store `who`'s answers as a form from chat is stored, acknowledged in the call's thread
    in their city's room where there is one; the problems by question id, {} when stored."""
    calls = Calls.of(runtime)
    problems = calls.check(call.id, who.sender, given)
    if problems:
        return problems
    room, thread = _thread(runtime, call, who)
    outcome = calls.handle(
        FormSubmission(
            platform=who.sender.platform,
            room=room,
            event_id=f"web:{uuid.uuid4()}",
            sender=who.sender,
            call=call.id,
            answers=given,
            thread_root=thread,
        )
    )
    if outcome.result not in ("stored", "edited"):
        return {"": _(who.language, "Your answer was not recorded; try again.")}
    return {}


def _thread(runtime: Runtime, call: Call, who: Viewer) -> tuple[str, str | None]:
    """The room and post of `call` in `who`'s city's room on their platform; ("", None) when
    no post reaches it there."""
    with runtime.store.begin() as tx:
        city = tx.cities.get(who.city) if who.city else None
        if city is None:
            return "", None
        targets, _unreached = rooms_for(runtime.config, [city])
        rooms = {t.room for t in targets if t.platform == who.sender.platform}
        for row in tx.outbox.for_call(call.id, "call"):
            if row.platform == who.sender.platform and row.room in rooms and row.event_id:
                return row.room, row.event_id
    return "", None


async def answer(request: web.Request) -> web.StreamResponse:
    who = viewer(request)
    if who.city is None:
        return page(request, "refused.html", status=403, reason="focal-point")
    runtime = request.app[RUNTIME]
    found = await asyncio.to_thread(_form, runtime, who, request.match_info["call"])
    if found is None:
        return page(request, "refused.html", status=404, reason="call")
    call, _current = found
    form = await request.post()
    given = {q.id: str(form.get(q.id, "")).strip() for q in call.questions}
    if not call.questions:
        given = {"q0": str(form.get("q0", "")).strip()}
    problems = await asyncio.to_thread(_submit, runtime, who, call, given)
    if problems:
        return page(request, "answer.html", status=400, call=call, given=given, problems=problems)
    raise web.HTTPSeeOther(f"/calls/{call.id}?answered=1")


# -- the audit log -------------------------------------------------------------------------


@secretariat_only
async def audit(request: web.Request) -> web.Response:
    """What the Secretariat did, newest first."""
    runtime = request.app[RUNTIME]

    def latest() -> list[Entry]:
        with runtime.store.begin() as tx:
            return tx.audit.latest()

    return page(request, "audit.html", entries=await asyncio.to_thread(latest))
