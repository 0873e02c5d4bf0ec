"""Chat commands for peers: `match` for focal points, `round` for the Secretariat, projects."""

from __future__ import annotations

import asyncio

from uccn_sdk.chat.safety import clip, neutralise
from uccn_sdk.commands import Command, CommandContext, audience_option, request_parts
from uccn_sdk.errors import UccnError
from uccn_sdk.matching.engine import MatchFilters
from uccn_sdk.matching.service import Matching, SubjectKind
from uccn_sdk.messages import N_
from uccn_sdk.messages import translate as _

MAX_K = 25
"""The most peers listed in chat; the command line lists more."""
MAX_PROJECTS = 30
"""The most projects listed in chat."""
FLAGS = {"other-fields", "other-regions", "common-language"}


def _matching(context: CommandContext) -> Matching:
    if context.matching is None:
        context.matching = Matching(context.store, context.plugins, context.config)
    return context.matching


def _own_city(context: CommandContext) -> str:
    """The city the sender is a focal point of; a clear refusal otherwise."""
    event = context.event
    with context.store.begin() as tx:
        point = tx.focal_points.identify(event.sender)
    if point is None:
        raise UccnError(
            _(context.language, "Only a city's focal points can ask this; “iam CITY” links you.")
        )
    return point.city


async def match(context: CommandContext, arguments: str) -> str:
    """`match [CITY] [k=10] [other-fields] …` or `match about TEXT`."""
    words = arguments.split()
    kind: SubjectKind
    if len(words) >= 2 and words[0].lower() == "project":
        if not context.is_secretariat:
            _own_city(context)
        kind, ref = "project", words[1]
        words = words[2:]
    elif words and words[0].lower() == "about":
        kind, ref = "text", arguments.strip()[len(words[0]) :].strip()
        if not context.is_secretariat:
            _own_city(context)
        words = []
    else:
        named = [w for w in words if "=" not in w and w.lower() not in FLAGS]
        own = None if context.is_secretariat else _own_city(context)
        if named and own is not None and named[0].lower() != own:
            raise UccnError(_(context.language, "You can ask for peers of your own city only."))
        if not named and own is None:
            raise UccnError("name a city: match CITY")
        kind, ref = "city", (named[0].lower() if named else str(own))
    options = dict(w.split("=", 1) for w in words if "=" in w)
    try:
        k = int(options.get("k", "10"))
    except ValueError:
        raise UccnError("k must be a number, such as k=10") from None
    if k > MAX_K:
        raise UccnError(f"ask for {MAX_K} peers at most in chat; `uccn match` lists more")
    flags = {w.lower() for w in words} & FLAGS
    filters = MatchFilters(
        other_fields="other-fields" in flags,
        other_regions="other-regions" in flags,
        common_language="common-language" in flags,
    )
    # Off the event loop: building the index (after a change to the network) takes a while.
    result = await asyncio.to_thread(
        _matching(context).match, kind, ref, k, filters, language=context.language
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


async def match_optout(context: CommandContext, arguments: str) -> str:
    city = _own_city(context)
    _matching(context).set_opt_out(city, True)
    return _(context.language, "Your city is left out of suggestions and rounds.")


async def match_optin(context: CommandContext, arguments: str) -> str:
    city = _own_city(context)
    _matching(context).set_opt_out(city, False)
    return _(context.language, "Your city is suggested to peers again.")


async def round_new(context: CommandContext, arguments: str) -> str:
    """`round new ID audience=field:music [cross-field]`."""
    from uccn_sdk.matching.rounds import Rounds

    words = arguments.split()
    if not words:
        raise UccnError("write: round new ID audience=field:music [cross-field]")
    options = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    scope = audience_option(options.get("audience", ""))
    created = await asyncio.to_thread(
        Rounds(_matching(context)).create, words[0], scope, cross_field="cross-field" in words[1:]
    )
    return _(
        context.language,
        "Round {round}: {groups} groups; the introductions are on their way.",
        round=created.id,
        groups=len(created.groups),
    )


async def round_show(context: CommandContext, arguments: str) -> str:
    from uccn_sdk.matching.rounds import Rounds

    found = Rounds(_matching(context)).get(arguments.strip())
    marks = {True: "✔", False: "✘", None: "…"}
    return "\n".join(
        [f"{found.id}: {len(found.groups)}"]
        + [f"{marks[g.met]} {' & '.join(g.cities)} ({g.score:.2f})" for g in found.groups]
    )


async def met(context: CommandContext, arguments: str) -> str:
    from uccn_sdk.matching.rounds import Rounds

    words = arguments.split()
    if len(words) != 2 or words[1].lower() not in ("yes", "no"):
        raise UccnError("write: met ROUND yes, or met ROUND no")
    city = _own_city(context)
    Rounds(_matching(context)).record_meeting(words[0], city, words[1].lower() == "yes")
    return _(context.language, "Thank you, noted.")


async def project_new(context: CommandContext, arguments: str) -> str:
    """`project new ID title="…" sdgs=11,12 fields=music looking-for="…"`, led by your city."""
    from uccn_sdk.matching.projects import Projects

    words, options, body = request_parts(arguments)
    if not words:
        raise UccnError('write: project new ID title="…" sdgs=11,12 looking-for="…"')
    city = _own_city(context)
    project = Projects.of(context.store, context.plugins).create(
        {
            "id": words[0],
            "title": options.get("title", ""),
            "lead_city": city,
            "sdgs": [s for s in options.get("sdgs", "").split(",") if s],
            "fields": [f for f in options.get("fields", "").split(",") if f],
            "looking_for": options.get("looking-for", ""),
            "description": body.strip(),
        }
    )
    return _(
        context.language,
        "Project {project} saved; “match project {project}” suggests partners.",
        project=project.id,
    )


async def project_list(context: CommandContext, arguments: str) -> str:
    """`project list [CITY | all]`: by default a focal point's own city's projects."""
    from uccn_sdk.matching.projects import Projects

    wanted = arguments.strip().lower()
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
    Command(
        "match",
        "[CITY] [k=10] [other-fields] [other-regions] [common-language] | project ID | about TEXT",
        N_("Suggest peer cities for your city, with the reasons."),
        match,
    ),
    Command("match optout", "", N_("Leave your city out of suggestions and rounds."), match_optout),
    Command("match optin", "", N_("Be suggested to peers again."), match_optin),
    Command("met", "ROUND yes|no", N_("Say whether you met the city a round introduced."), met),
    Command(
        "round new",
        "ID audience=field:music [cross-field]",
        N_("Pair every city of a set with a peer and introduce them."),
        round_new,
        secretariat_only=True,
    ),
    Command("round show", "ID", N_("Show a round's pairs."), round_show, secretariat_only=True),
    Command(
        "project new",
        'ID title="…" sdgs=11,12 looking-for="…"',
        N_("Add a project your city leads."),
        project_new,
    ),
    Command(
        "project list",
        "[CITY | all]",
        N_("List your city's projects, another city's, or all."),
        project_list,
    ),
]
