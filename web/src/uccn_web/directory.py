"""The member directory on the web: the cities, searched and filtered by field, region, country
and year, a page at a time; a city's page with every fact and where it comes from, its
designations, its focal points, and its peers with why (the matching engine's explanation)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from uccn_sdk.matching.engine import MatchError
from uccn_sdk.matching.service import Matching
from uccn_sdk.models import City, FocalPoint, Match, Region
from uccn_sdk.runtime.context import Runtime
from uccn_web.app import RUNTIME, Viewer, page, viewer

PAGE = 50
"""Cities a page."""
PEERS = 8


def add_routes(app: web.Application) -> None:
    app.router.add_get("/cities", cities)
    app.router.add_get("/cities/{city}", city_page)


@dataclass
class Listing:
    cities: list[City]
    total: int
    page: int
    pages: int
    fields: list[str]
    regions: list[tuple[str, str]]


def _listing(runtime: Runtime, query: dict[str, str]) -> Listing:
    year, asked = query["year"], query["page"]
    number = max(int(asked) if asked.isdigit() else 1, 1)
    with runtime.store.begin() as tx:
        found, total = tx.cities.page(
            fields=[query["field"]] if query["field"] else (),
            regions=[query["region"]] if query["region"] else (),
            countries=[query["country"].upper()] if query["country"] else (),
            years=[int(year)] if year.isdigit() else (),
            words=query["q"].split(),
            offset=(number - 1) * PAGE,
            limit=PAGE,
        )
    pages = max(1, -(-total // PAGE))
    fields = sorted(f.slug for f in runtime.plugins.fields())
    return Listing(
        found, total, min(number, pages), pages, fields, [(r.value, r.label) for r in Region]
    )


async def cities(request: web.Request) -> web.Response:
    query = {
        k: request.query.get(k, "").strip()[:100]
        for k in ("q", "field", "region", "country", "year", "page")
    }
    listing = await asyncio.to_thread(_listing, request.app[RUNTIME], query)
    return page(request, "cities.html", listing=listing, query=query)


@dataclass
class CityView:
    city: City
    points: list[FocalPoint]
    peers: list[Match]
    names: dict[str, str]


def _city(runtime: Runtime, who: Viewer, city_id: str) -> CityView | None:
    with runtime.store.begin() as tx:
        city = tx.cities.get(city_id)
        if city is None:
            return None
        points = tx.focal_points.for_city(city.id) if who.secretariat or who.city == city.id else []
        names = {c.id: c.name for c in tx.cities.all()}
    try:
        peers = Matching.of(runtime).match("city", city.id, k=PEERS, language=who.language).matches
    except MatchError:
        peers = []
    return CityView(city, points, list(peers), names)


async def city_page(request: web.Request) -> web.Response:
    who = viewer(request)
    found = await asyncio.to_thread(_city, request.app[RUNTIME], who, request.match_info["city"])
    if found is None:
        return page(request, "refused.html", status=404, reason="city")
    return page(request, "city.html", view=found)
