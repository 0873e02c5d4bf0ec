"""The web console's aiohttp application: who is signed in (a session cookie), a CSRF token on
every form, and headers that keep the pages to themselves (no inline script, no framing, no
referrer that would carry a sign-in link away)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from aiohttp import web

from uccn_sdk.chat.events import Sender
from uccn_sdk.config import WebSettings
from uccn_sdk.errors import UccnError
from uccn_sdk.runtime.context import Runtime
from uccn_web.rendering import render

SESSION_COOKIE = "uccn_session"
STATIC = Path(__file__).parent / "static"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
OPEN = ("/signin/", "/static/", "/signed-out", "/favicon.ico")
"""Paths anyone may open, signed in or not."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
T = TypeVar("T")


@dataclass(frozen=True)
class Viewer:
    """Who is signed in: the Secretariat sees every city, a focal point their own."""

    sender: Sender
    secretariat: bool
    city: str | None
    name: str
    language: str
    csrf: str


RUNTIME = web.AppKey("runtime", Runtime)
SETTINGS = web.AppKey("settings", WebSettings)
VIEWER = web.RequestKey("viewer", Viewer)
PUBLIC = web.AppKey("public", tuple[str, ...])


def application(
    runtime: Runtime, settings: WebSettings | None = None, *, public: tuple[str, ...] = ()
) -> web.Application:
    """The console over `runtime` (the bot's own, or one of its own for `uccn web`); `public`
    names more paths anyone may open (the bot's health and metrics, served beside it)."""
    from uccn_web import pages

    app = web.Application(middlewares=[_headers, _signed_in])
    app[RUNTIME] = runtime
    app[SETTINGS] = settings or runtime.config.web or WebSettings()
    app[PUBLIC] = public
    pages.add_routes(app)
    app.router.add_static("/static", STATIC)
    return app


def viewer(request: web.Request) -> Viewer:
    return request[VIEWER]


def secretariat_only(handler: Handler) -> Handler:
    """A page or an action for the Secretariat alone; anyone else gets the refusal page."""

    @functools.wraps(handler)
    async def checked(request: web.Request) -> web.StreamResponse:
        if not viewer(request).secretariat:
            return page(request, "refused.html", status=403, reason="secretariat")
        return await handler(request)

    return checked


async def act(
    request: web.Request,
    action: str,
    subject: str,
    work: Callable[[Runtime], T],
    then: Callable[[T], str],
) -> web.StreamResponse:
    """A Secretariat's button: `work` done (in a thread: the store is synchronous) and kept
    in the audit as `action` on `subject`, then the page `then` names; refused for anyone
    else, and a UccnError said on a page of its own."""
    if not viewer(request).secretariat:
        return page(request, "refused.html", status=403, reason="secretariat")
    who, runtime = viewer(request), request.app[RUNTIME]

    def done() -> T:
        result = work(runtime)
        with runtime.store.begin() as tx:
            tx.audit.record(runtime.clock(), who.sender, action, subject, "web console")
        return result

    try:
        result = await asyncio.to_thread(done)
    except UccnError as error:
        said = error.said(who.language)
        return page(request, "refused.html", status=409, reason="error", error=said)
    raise web.HTTPSeeOther(then(result))


def page(request: web.Request, template: str, status: int = 200, **values: object) -> web.Response:
    """A rendered page in the reader's language."""
    who = request.get(VIEWER)
    runtime = request.app[RUNTIME]
    language = who.language if who else runtime.config.language
    body = render(template, language, viewer=who, **values)
    return web.Response(text=body, status=status, content_type="text/html")


@web.middleware
async def _headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        error.headers.update(HEADERS)
        raise
    response.headers.update(HEADERS)
    return response


@web.middleware
async def _signed_in(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(OPEN) or request.path in request.app[PUBLIC]:
        return await handler(request)
    runtime = request.app[RUNTIME]
    cookie = request.cookies.get(SESSION_COOKIE)
    who = await asyncio.to_thread(_viewer_of, runtime, cookie) if cookie else None
    if who is None:
        return page(request, "signed_out.html", status=401)
    request[VIEWER] = who
    if request.method == "POST":
        form = await request.post()
        if form.get("csrf") != who.csrf:
            return page(request, "refused.html", status=403, reason="csrf")
    return await handler(request)


def _viewer_of(runtime: Runtime, cookie: str) -> Viewer | None:
    with runtime.store.begin() as tx:
        session = tx.signins.session(cookie, runtime.clock())
        if session is None:
            return None
        point = tx.focal_points.identify(session.sender)
    secretariat = runtime.config.is_secretariat(session.sender.platform, session.sender.user_id)
    if not (secretariat or point):
        return None  # unlinked since: the session no longer opens anything
    return Viewer(
        sender=session.sender,
        secretariat=secretariat,
        city=point.city if point and not secretariat else None,
        name=point.name if point else session.sender.user_id,
        language=point.language if point else runtime.config.language,
        csrf=session.csrf,
    )
