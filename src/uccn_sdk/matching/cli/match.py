"""`uccn match`: the cities that fit a city, a project or a free text best, and why."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from uccn_sdk.cli.session import Session, err, fail, out
from uccn_sdk.cli.tables import print_table

if TYPE_CHECKING:
    from uccn_sdk.matching.service import SubjectKind


def match(
    ctx: typer.Context,
    city: str | None = typer.Argument(None, metavar="[CITY]", help="A city id, such as lyon."),
    project: str | None = typer.Option(None, "--project", help="Partners for this project."),
    text: str | None = typer.Option(
        None, "--text", help="What you look for, in your words: 'a festival on food heritage'."
    ),
    k: int = typer.Option(10, "--k", "-k", help="How many cities to suggest."),
    explain: bool = typer.Option(False, "--explain", help="Show every scorer's part."),
    other_fields: bool = typer.Option(False, "--other-fields", help="Only other fields."),
    other_regions: bool = typer.Option(False, "--other-regions", help="Only other regions."),
    common_language: bool = typer.Option(
        False, "--common-language", help="Only cities sharing an official language."
    ),
    country: list[str] = typer.Option([], "--country", help="Only this country; repeatable."),
    field: list[str] = typer.Option([], "--field", help="Only this field; repeatable."),
    language: str | None = typer.Option(
        None,
        "--language",
        "-l",
        help="Explain in this language (en, fr, …); the network's by default.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the matches as JSON."),
) -> None:
    """Suggest peer cities for a city, a project (--project) or a text (--text), with reasons."""
    from pydantic import ValidationError

    from uccn_sdk.errors import describe_error
    from uccn_sdk.matching.engine import MatchFilters

    given: list[tuple[SubjectKind, str | None]] = [
        ("city", city),
        ("project", project),
        ("text", text),
    ]
    named = [(kind, ref) for kind, ref in given if ref is not None]
    if len(named) != 1:
        fail("name one subject: a CITY, or --project ID, or --text '…'")
    kind, ref = named[0]
    try:
        filters = MatchFilters(
            other_fields=other_fields,
            other_regions=other_regions,
            common_language=common_language,
            countries=country,
            fields=field,
        )
    except ValidationError as error:
        fail(f"the filters are not valid: {describe_error(error)}")
    session: Session = ctx.obj
    result = session.matching.match(
        kind, ref, k, filters, language=language or session.config.language
    )
    for problem in result.problems:
        err().print(f"[yellow]warning:[/] {problem}", markup=True)
    if as_json:
        out().print_json(json.dumps([m.model_dump(mode="json") for m in result.matches]))
        return
    if not result.matches:
        out().print("No city passes those filters.")
        return
    with session.store.begin() as tx:
        cities = {c.id: c for c in tx.cities.all()}
    title = f"{len(result.matches)} of {result.candidates} cities for {result.subject.label}"
    rows = []
    for rank, found in enumerate(result.matches, 1):
        other = cities.get(found.other.ref)
        rows.append(
            [
                str(rank),
                found.other.ref,
                other.name if other else found.other.ref,
                other.country if other else "",
                f"{found.score:.2f}",
                found.explanation(),
            ]
        )
    print_table(title, ["#", "id", "name", "country", "score", "why"], rows)
    if explain:
        for rank, found in enumerate(result.matches, 1):
            out().print(f"\n{rank}. {found.other.label or found.other.ref}: {found.score:.2f}")
            for part in sorted(found.parts, key=lambda p: p.score * p.weight, reverse=True):
                said = f"  {part.explanation}" if part.explanation else ""
                out().print(
                    f"   {part.scorer:<11} {part.score:.2f} × {part.weight:g}{said}",
                    markup=False,
                    highlight=False,
                )
