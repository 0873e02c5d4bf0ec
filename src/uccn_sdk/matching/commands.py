"""Chat commands for peers: `match` for focal points, `round` for the Secretariat, projects."""

from __future__ import annotations

import asyncio

from uccn_sdk.arguments import body, flag, option, rest, word
from uccn_sdk.chat.safety import clip, neutralise
from uccn_sdk.commands import (
    Arguments,
    CommandContext,
    audience_option,
    command,
    command_prefix,
)
from uccn_sdk.errors import UccnError
from uccn_sdk.matching.engine import MatchFilters
from uccn_sdk.matching.service import Matching, SubjectKind
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _

MAX_K = 25
"""The most peers listed in chat; the command line lists more."""
MAX_PROJECTS = 30
"""The most projects listed in chat."""


def _matching(context: CommandContext) -> Matching:
    return Matching.of(context.runtime)


def _own_city(context: CommandContext) -> str:
    """The city the sender is a focal point of; a clear refusal otherwise."""
    event = context.event
    with context.store.begin() as tx:
        point = tx.focal_points.identify(event.sender)
    if point is None:
        raise UccnError(
            N_("Only a city's focal points can ask this; “{prefix}iam CITY” links you."),
            prefix=command_prefix(event),
        )
    return point.city


def read_k(text: str) -> int:
    """How many peers to list: a number from 1 to MAX_K."""
    try:
        k = int(text)
    except ValueError:
        raise UccnError(N_("k must be a number, such as k=10")) from None
    if k < 1:
        raise UccnError(N_("k must be 1 or more"))
    if k > MAX_K:
        raise UccnError(
            N_("ask for {count} peers at most in chat; `uccn match` lists more"), count=MAX_K
        )
    return k


FILTERS = (
    option("k", "10", read=read_k, default=10),
    flag("other-fields"),
    flag("other-regions"),
    flag("common-language"),
)


@command(
    "match",
    N_("Suggest peer cities for your city, with the reasons."),
    word("city", optional=True),
    *FILTERS,
)
async def match(context: CommandContext, arguments: Arguments) -> str:
    named = arguments["city"]
    own = None if context.is_secretariat else _own_city(context)
    if named and own is not None and named.lower() != own:
        raise UccnError(N_("You can ask for peers of your own city only."))
    if not named and own is None:
        raise UccnError(N_("name a city: match CITY"))
    return await _peers(context, "city", (named or str(own)).lower(), arguments)


@command(
    "match project",
    N_("Suggest partner cities for a project."),
    word("id"),
    *FILTERS,
)
async def match_project(context: CommandContext, arguments: Arguments) -> str:
    if not context.is_secretariat:
        _own_city(context)
    return await _peers(context, "project", arguments["id"], arguments)


@command(
    "match about",
    N_("Suggest cities whose work is close to a description."),
    rest("text", "TEXT"),
)
async def match_about(context: CommandContext, arguments: Arguments) -> str:
    if not context.is_secretariat:
        _own_city(context)
    return await _peers(context, "text", arguments["text"], {"k": 10})


async def _peers(context: CommandContext, kind: SubjectKind, ref: str, arguments: Arguments) -> str:
    filters = MatchFilters(
        other_fields=bool(arguments.get("other-fields")),
        other_regions=bool(arguments.get("other-regions")),
        common_language=bool(arguments.get("common-language")),
    )
    # Off the event loop: building the index (after a change to the network) takes a while.
    result = await asyncio.to_thread(
        _matching(context).match, kind, ref, arguments["k"], filters, language=context.language
    )
    if not result.matches:
        return _(context.language, "No city passes those filters.")
    lines = [_(context.language, "Peers for {subject}:", subject=clip(result.subject.label, 80))]
    for rank, found in enumerate(result.matches, 1):
        lines.append(
            f"{rank}. {neutralise(found.other.label)} ({found.score:.2f}): "
            f"{neutralise(found.explanation())}"
        )
    return "\n".join(lines)


@command("match optout", N_("Leave your city out of suggestions and rounds."))
async def match_optout(context: CommandContext, arguments: Arguments) -> str:
    city = _own_city(context)
    _matching(context).set_opt_out(city, True)
    return _(context.language, "Your city is left out of suggestions and rounds.")


@command("match optin", N_("Be suggested to peers again."))
async def match_optin(context: CommandContext, arguments: Arguments) -> str:
    city = _own_city(context)
    _matching(context).set_opt_out(city, False)
    return _(context.language, "Your city is suggested to peers again.")


@command(
    "round new",
    N_("Pair every city of a set with a peer and introduce them."),
    word("id"),
    option("audience", "field:music", required=True, read=audience_option),
    flag("cross-field"),
    secretariat_only=True,
)
async def round_new(context: CommandContext, arguments: Arguments) -> str:
    from uccn_sdk.matching.rounds import Rounds

    created = await asyncio.to_thread(
        Rounds.of(context.runtime).create,
        arguments["id"],
        arguments["audience"],
        cross_field=arguments["cross-field"],
    )
    silent = await asyncio.to_thread(Rounds.of(context.runtime).unintroduced, created)
    if not silent:
        return _(
            context.language,
            "Round {round}: {groups} groups; the introductions are on their way.",
            round=created.id,
            groups=len(created.groups),
        )
    return _(
        context.language,
        "Round {round}: {groups} groups, recorded. No room reaches {silent} of them, which "
        "are not introduced: add an introductions room or the cities' rooms to the "
        "configuration.",
        round=created.id,
        groups=len(created.groups),
        silent=len(silent),
    )


@command("round show", N_("Show a round's pairs."), word("id"), secretariat_only=True)
async def round_show(context: CommandContext, arguments: Arguments) -> str:
    from uccn_sdk.matching.rounds import Rounds

    found = Rounds.of(context.runtime).get(arguments["id"])
    marks = {True: "✔", False: "✘", None: "…"}
    return "\n".join(
        [f"{found.id}: {len(found.groups)}"]
        + [f"{marks[g.met]} {' & '.join(g.cities)} ({g.score:.2f})" for g in found.groups]
    )


@command(
    "met",
    N_("Say whether you met the city a round introduced."),
    word("round"),
    word("met", choices=("yes", "no")),
)
async def met(context: CommandContext, arguments: Arguments) -> str:
    from uccn_sdk.matching.rounds import Rounds

    city = _own_city(context)
    Rounds.of(context.runtime).record_meeting(arguments["round"], city, arguments["met"] == "yes")
    return _(context.language, "Thank you, noted.")


@command(
    "project new",
    N_("Add a project your city leads."),
    word("id"),
    option("title", '"…"', required=True),
    option("sdgs", "11,12"),
    option("fields", "music"),
    option("looking-for", '"…"'),
    body("description", "DESCRIPTION"),
)
async def project_new(context: CommandContext, arguments: Arguments) -> str:
    """Led by the sender's city; its description on the lines after the first."""
    from uccn_sdk.matching.projects import Projects

    city = _own_city(context)
    project = Projects.of(context.store, context.plugins).create(
        {
            "id": arguments["id"],
            "title": arguments["title"],
            "lead_city": city,
            "sdgs": [s for s in (arguments["sdgs"] or "").split(",") if s],
            "fields": [f for f in (arguments["fields"] or "").split(",") if f],
            "looking_for": arguments["looking-for"] or "",
            "description": arguments["description"],
        }
    )
    return _(
        context.language,
        "Project {project} saved; “match project {project}” suggests partners.",
        project=project.id,
    )


@command(
    "project list",
    N_("List your city's projects, another city's, or all."),
    word("city", "CITY | all", optional=True),
)
async def project_list(context: CommandContext, arguments: Arguments) -> str:
    """By default a focal point's own city's projects (all of them for the Secretariat)."""
    from uccn_sdk.matching.projects import Projects

    wanted = (arguments["city"] or "").lower()
    if wanted == "all":
        city = None
    elif wanted:
        city = wanted
    elif context.is_secretariat:
        city = None
    else:
        city = _own_city(context)
    projects = Projects.of(context.store, context.plugins).listed(city)
    if not projects:
        return _(context.language, "No projects yet; “project new” adds one.")
    lines = [
        f"{neutralise(p.id)}: {neutralise(clip(p.title, 80))} ({neutralise(p.lead_city)}"
        + (f" + {', '.join(map(neutralise, p.partners))}" if p.partners else "")
        + ")"
        for p in projects[:MAX_PROJECTS]
    ]
    if len(projects) > MAX_PROJECTS:
        lines.append(
            _(
                context.language,
                "… and {count} more: `uccn projects list`.",
                count=len(projects) - MAX_PROJECTS,
            )
        )
    return "\n".join(lines)


COMMANDS = [
    match,
    match_project,
    match_about,
    match_optout,
    match_optin,
    met,
    round_new,
    round_show,
    project_new,
    project_list,
]
