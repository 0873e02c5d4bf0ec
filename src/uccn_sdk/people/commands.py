"""The chat commands that link people to cities: `iam` for them, `link` for the Secretariat."""

from __future__ import annotations

from uccn_sdk.arguments import word
from uccn_sdk.calls.service import Calls
from uccn_sdk.chat.events import OutboundMessage
from uccn_sdk.chat.safety import clip, neutralise
from uccn_sdk.commands import COMMAND_PREFIX, Arguments, CommandContext, command
from uccn_sdk.errors import UccnError
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _
from uccn_sdk.models import FocalPoint, Role


@command("iam", N_("Ask to be linked to your city as its focal point."), word("city"))
async def iam(context: CommandContext, arguments: Arguments) -> str:
    city_id = arguments["city"].lower()
    event = context.event
    with context.store.begin() as tx:
        city = tx.cities.get(city_id)
        if city is None:
            raise UccnError(
                N_("there is no city “{city}”; use its id, such as lyon or granada-0"),
                city=clip(city_id, 60),
            )
        point = tx.focal_points.identify(event.sender)
        if point is not None and point.city == city.id:
            return _(context.language, "You are already a focal point of {city}.", city=city.name)
        asked_before = tx.link_requests.get(event.platform, event.sender.user_id) == city.id
        tx.link_requests.add(event.platform, event.sender.user_id, city.id)
        rooms = context.config.rooms.get(event.platform)
        # The same request again is answered, not passed on: 200 "iam lyon" are one request.
        if rooms and rooms.secretariat and not asked_before:
            tx.outbox.enqueue(
                f"link:{event.platform}:{event.event_id}",
                event.platform,
                OutboundMessage(
                    room=rooms.secretariat,
                    text=_(
                        context.config.language,
                        "{user} asks to be linked to {city}. "
                        "To approve: {prefix}link approve {user} {city_id}",
                        user=neutralise(event.sender.user_id),
                        city=city.name,
                        city_id=city.id,
                        prefix=COMMAND_PREFIX + " ",  # said in a room, where commands need it
                    ),
                ),
                kind="notice",
            )
    return _(
        context.language,
        "Thank you. The Secretariat will confirm you as a focal point of {city}.",
        city=city.name,
    )


@command(
    "link approve",
    N_("Link someone to a city as its focal point."),
    word("user"),
    word("city"),
    word("role", optional=True, choices=("main", "alternate"), default="main"),
    secretariat_only=True,
)
async def link_approve(context: CommandContext, arguments: Arguments) -> str:
    handle, city_id = arguments["user"], arguments["city"].lower()
    role = Role(arguments["role"])
    platform = context.event.platform
    with context.store.begin() as tx:
        city = tx.cities.get(city_id)
        if city is None:
            raise UccnError(N_("there is no city “{city}”"), city=clip(city_id, 60))
        existing = tx.focal_points.by_handle(platform, handle)
        point = FocalPoint(
            id=existing.id if existing else _point_id(city.id, handle),
            city=city.id,
            name=handle.lstrip("@").split(":")[0][:200] or handle,
            role=role,
            handles={**(existing.handles if existing else {}), platform: handle},
            language=existing.language
            if existing
            else city.languages[0]
            if city.languages
            else "en",
        )
        tx.focal_points.put(point)
        tx.link_requests.remove(platform, handle)
    adopted = Calls.of(context.runtime).adopt_unlinked(platform, handle)
    filed = [o for o in adopted if o.result == "stored"]
    kept = [o for o in adopted if o.result == "filed"]
    answer = _(
        context.language, "{user} now answers for {city}.", user=neutralise(handle), city=city.name
    )
    if filed:
        answer += " " + _(
            context.language,
            "Their earlier answers now count for the city: {count}.",
            count=len(filed),
        )
    if kept:
        answer += " " + _(
            context.language,
            "Answers the city has given since stay; their older ones are in its history: {count}.",
            count=len(kept),
        )
    return answer


@command("link list", N_("Who is waiting to be linked."), secretariat_only=True)
async def link_list(context: CommandContext, arguments: Arguments) -> str:
    with context.store.begin() as tx:
        requests = tx.link_requests.all()
    if not requests:
        return _(context.language, "No one is waiting to be linked.")
    return "\n".join(f"• {neutralise(h)} → {c} ({p})" for p, h, c in requests)


def _point_id(city: str, handle: str) -> str:
    import hashlib

    return f"{city}-{hashlib.sha256(handle.encode()).hexdigest()[:8]}"


COMMANDS = [iam, link_approve, link_list]
