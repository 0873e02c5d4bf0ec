"""Who a post reaches, for every feature that posts (calls, announcements, rounds, the
digest): the cities an audience names, and the rooms that reach them. An audience is written
one way everywhere: :meth:`uccn_sdk.models.Audience.parse`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from uccn_sdk.config import NetworkConfig
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.models import Audience, City
from uccn_sdk.store import Transaction


def audience_cities(tx: Transaction, audience: Audience) -> list[City]:
    """The cities an audience names: everyone, or those in any of its fields, regions, countries."""
    if audience.everyone:
        return tx.cities.find()
    found: dict[str, City] = {}
    # A field's audience is its sub-network today: a city that left the field is not in it.
    for city in tx.cities.find(fields=audience.fields) if audience.fields else []:
        if city.field in audience.fields:
            found[city.id] = city
    for city in (
        tx.cities.find(regions=[r.value for r in audience.regions]) if audience.regions else []
    ):
        found[city.id] = city
    for city in tx.cities.find(countries=audience.countries) if audience.countries else []:
        found[city.id] = city
    for city_id in audience.cities:
        named = tx.cities.get(city_id)
        if named:
            found[named.id] = named
    return sorted(found.values(), key=lambda c: c.id)


def misnamed(
    tx: Transaction, audience: Audience, kind: type[UccnError] = UccnError
) -> UccnError | None:
    """What an audience names that no member city answers to (a mistyped city id or field),
    as an error of `kind` to raise; None when every name is known."""
    cities = ", ".join(repr(c) for c in audience.cities if tx.cities.get(c) is None)
    fields = ", ".join(repr(f) for f in audience.fields if not tx.cities.find(fields=[f]))
    if cities and fields:
        return kind(
            N_(
                "no member city has the id {cities}; no member city is in the field {fields} "
                "(`uccn cities list` shows the ids and fields)"
            ),
            cities=cities,
            fields=fields,
        )
    if cities:
        return kind(
            N_("no member city has the id {cities} (`uccn cities list` shows the ids and fields)"),
            cities=cities,
        )
    if fields:
        return kind(
            N_(
                "no member city is in the field {fields} (`uccn cities list` shows the ids and "
                "fields)"
            ),
            fields=fields,
        )
    return None


def reaches(audience: Audience, city: City) -> bool:
    """Whether `audience` names `city`: the test :func:`audience_cities` makes, for one city."""
    return (
        audience.everyone
        or city.id in audience.cities
        or city.field in audience.fields
        or city.country.upper() in {c.upper() for c in audience.countries}
        or (city.region is not None and city.region in audience.regions)
    )


@dataclass(frozen=True)
class Target:
    platform: str
    room: str
    cities: tuple[str, ...]
    """The cities this room reaches: one for a city's room, several for a field's."""


def rooms_for(config: NetworkConfig, cities: Iterable[City]) -> tuple[list[Target], list[str]]:
    """The rooms reaching `cities` on every platform, and the cities no room reaches."""
    reached: set[str] = set()
    by_room: dict[tuple[str, str], list[str]] = {}
    for platform, rooms in config.rooms.items():
        for city in cities:
            room = rooms.cities.get(city.id) or rooms.fields.get(city.field)
            if room:
                by_room.setdefault((platform, room), []).append(city.id)
                reached.add(city.id)
    targets = [Target(p, r, tuple(c)) for (p, r), c in sorted(by_room.items())]
    return targets, sorted(c.id for c in cities if c.id not in reached)
