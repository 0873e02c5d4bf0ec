"""A call's replies as one row per city in its audience, for the exporters."""

from __future__ import annotations

from dataclasses import dataclass

from uccn_sdk.audience import audience_cities
from uccn_sdk.models import Call, City, Reply, UnlinkedReply
from uccn_sdk.store import Store


@dataclass(frozen=True)
class CityRow:
    city: City
    reply: Reply | None


@dataclass(frozen=True)
class CallExport:
    """What `uccn calls export` hands to an exporter of kind 'replies'."""

    call: Call
    rows: list[CityRow]
    unlinked: list[UnlinkedReply]


def call_export(store: Store, call_id: str) -> CallExport | None:
    with store.begin() as tx:
        call = tx.calls.get(call_id)
        if call is None:
            return None
        replies = {r.city: r for r in tx.replies.for_call(call.id)}
        cities = audience_cities(tx, call.audience)
        # A reply from a city that left the audience (edited audience) still shows.
        extra = [tx.cities.get(c) for c in replies if c not in {x.id for x in cities}]
        everyone = cities + [c for c in extra if c is not None]
        rows = [CityRow(city, replies.get(city.id)) for city in everyone]
        return CallExport(call, rows, tx.unlinked_replies.for_call(call.id))
