"""`uccn rounds …`: pair every city of a set with a peer, and follow up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from uccn_sdk.cli.audience import CITY, COUNTRY, EVERYONE, FIELD, REGION, audience
from uccn_sdk.cli.session import Session, err, fail, out
from uccn_sdk.cli.tables import print_table

if TYPE_CHECKING:
    from uccn_sdk.matching.rounds import Rounds
    from uccn_sdk.models import Round

app = typer.Typer(
    help="Matching rounds: pair the cities of a sub-network, a region or everyone.",
    no_args_is_help=True,
)
ID = typer.Argument(..., metavar="ID", help="A short id, such as music-2027-1.")


def _rounds(session: Session) -> Rounds:
    from uccn_sdk.matching.rounds import Rounds

    return Rounds(session.matching)


def _print(session: Session, found: Round) -> None:
    with session.store.begin() as tx:
        names = {c.id: c.name for c in tx.cities.all()}
    bound = f"; the best possible is at most {found.bound:.1f}" if found.bound else ""
    out().print(
        f"Round {found.id}: {len(found.groups)} groups, total score {found.total:.1f}{bound} "
        f"({found.method}).",
        markup=False,
    )
    rows = [
        [
            str(i),
            " & ".join(names.get(c, c) for c in g.cities),
            f"{g.score:.2f}",
            {True: "yes", False: "no", None: "-"}[g.met] + (" (again)" if g.repeat else ""),
            g.explanation,
        ]
        for i, g in enumerate(found.groups, 1)
    ]
    print_table("Groups", ["#", "cities", "score", "met", "why"], rows)
    if found.left_out:
        out().print(f"Left out (opted out or no partner allowed): {', '.join(found.left_out)}")


@app.command("new")
def new(
    ctx: typer.Context,
    round_id: str = ID,
    everyone: bool = EVERYONE,
    field: list[str] = FIELD,
    region: list[str] = REGION,
    country: list[str] = COUNTRY,
    city: list[str] = CITY,
    cross_field: bool = typer.Option(False, "--cross-field", help="Only pairs of two fields."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the pairs; record nothing."),
) -> None:
    """Pair every city of the set, record the round and queue the introductions."""
    session: Session = ctx.obj
    scope = audience(everyone, field, region, country, city)
    rounds = _rounds(session)
    if dry_run:
        _print(session, rounds.plan(round_id, scope, cross_field=cross_field))
        out().print("Nothing is recorded: run it again without --dry-run.")
        return
    created = rounds.create(round_id, scope, cross_field=cross_field)
    _print(session, created)
    silent = rounds.unintroduced(created)
    if not silent:
        out().print(f"Round {created.id!r} is recorded; a running bot posts the introductions.")
        return
    out().print(
        f"Round {created.id!r} is recorded; a running bot introduces "
        f"{len(created.groups) - len(silent)} of its {len(created.groups)} groups."
    )
    with session.store.begin() as tx:
        names = {c.id: c.name for c in tx.cities.all()}
    err().print(
        f"No room reaches {len(silent)} groups, which are not introduced: "
        + "; ".join(" & ".join(names.get(c, c) for c in g.cities) for g in silent)
        + ". Add an introductions room (rooms.<platform>.introductions) or the cities' rooms "
        "to the configuration.",
        markup=False,
    )


@app.command("show")
def show(ctx: typer.Context, round_id: str = ID) -> None:
    """Show a round's groups, why they were paired, and whether they met."""
    session: Session = ctx.obj
    _print(session, _rounds(session).get(round_id))


@app.command("list")
def list_rounds(ctx: typer.Context) -> None:
    """List the recent rounds."""
    session: Session = ctx.obj
    found = _rounds(session).listed()
    if not found:
        out().print("No rounds yet. `uccn rounds new --help` shows how to run one.")
        return
    print_table(
        f"{len(found)} rounds",
        ["id", "created", "groups", "met", "total"],
        [
            [
                r.id,
                f"{r.created_at:%Y-%m-%d}",
                str(len(r.groups)),
                str(sum(1 for g in r.groups if g.met)),
                f"{r.total:.1f}",
            ]
            for r in found
        ],
    )


@app.command("met")
def met(
    ctx: typer.Context,
    round_id: str = ID,
    city: str = typer.Argument(..., metavar="CITY"),
    answer: str = typer.Argument(..., metavar="yes|no"),
) -> None:
    """Record whether a city's group met (what the bot's follow-up asks in chat)."""
    if answer.lower() not in ("yes", "no"):
        fail("answer yes or no")
    session: Session = ctx.obj
    group = _rounds(session).record_meeting(round_id, city.lower(), answer.lower() == "yes")
    out().print(f"Recorded: {' & '.join(group.cities)} {'met' if group.met else 'did not meet'}.")
