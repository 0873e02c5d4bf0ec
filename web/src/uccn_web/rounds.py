"""Matching rounds on the web: the rounds so far with whether their pairs met, and a new one
tried as a dry run (the pairs and why, nothing kept) before it is recorded and introduced."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

from uccn_sdk.commands import audience_option
from uccn_sdk.errors import UccnError
from uccn_sdk.matching.rounds import Rounds
from uccn_sdk.models import Round, RoundGroup
from uccn_sdk.runtime.context import Runtime
from uccn_web.app import RUNTIME, Viewer, page, secretariat_only, viewer


def add_routes(app: web.Application) -> None:
    app.router.add_get("/rounds", rounds)
    app.router.add_post("/rounds", new_round)


@dataclass
class Tried:
    id: str = ""
    audience: str = ""
    cross_field: bool = False
    problem: str = ""
    round: Round | None = None
    recorded: bool = False
    unintroduced: list[RoundGroup] = field(default_factory=list)


def _names(runtime: Runtime) -> dict[str, str]:
    with runtime.store.begin() as tx:
        return {c.id: c.name for c in tx.cities.all()}


@secretariat_only
async def rounds(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    listed = await asyncio.to_thread(Rounds.of(runtime).listed)
    names = await asyncio.to_thread(_names, runtime)
    return page(request, "rounds.html", listed=listed, tried=Tried(), names=names)


def _try(runtime: Runtime, who: Viewer, tried: Tried, record: bool) -> Tried:
    service = Rounds.of(runtime)
    try:
        scope = audience_option(tried.audience or " ")
        if record:
            tried.round = service.create(tried.id, scope, cross_field=tried.cross_field)
            tried.recorded = True
            tried.unintroduced = service.unintroduced(tried.round)
            with runtime.store.begin() as tx:
                tx.audit.record(runtime.clock(), who.sender, "round new", tried.id, "web console")
        else:
            tried.round = service.plan(tried.id, scope, cross_field=tried.cross_field)
    except UccnError as error:
        tried.problem = error.said(who.language)
    return tried


@secretariat_only
async def new_round(request: web.Request) -> web.Response:
    who = viewer(request)
    runtime = request.app[RUNTIME]
    form = await request.post()

    def text(name: str) -> str:
        value = form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    tried = Tried(text("id"), text("audience"), text("cross-field") == "yes")
    tried = await asyncio.to_thread(_try, runtime, who, tried, text("do") == "record")
    listed = await asyncio.to_thread(Rounds.of(runtime).listed)
    names = await asyncio.to_thread(_names, runtime)
    status = 400 if tried.problem else 200
    return page(request, "rounds.html", status=status, listed=listed, tried=tried, names=names)
