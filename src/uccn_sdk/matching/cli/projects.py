"""`uccn projects …`: the projects cities lead, so they can ask for partners."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from uccn_sdk.cli.session import Session, out
from uccn_sdk.cli.tables import print_table

if TYPE_CHECKING:
    from uccn_sdk.matching.projects import Projects

app = typer.Typer(help="Projects cities lead and look for partners for.", no_args_is_help=True)


def _projects(session: Session) -> Projects:
    from uccn_sdk.matching.projects import Projects

    return Projects.of(session.store, session.plugins)


@app.command("new")
def new(
    ctx: typer.Context,
    project_id: str = typer.Argument(..., metavar="ID", help="A short id: food-heritage-2027."),
    title: str = typer.Option(..., "--title"),
    lead: str = typer.Option(..., "--lead", help="The lead city's id."),
    partner: list[str] = typer.Option([], "--partner", help="A partner city; repeatable."),
    field: list[str] = typer.Option([], "--field", help="A creative field; repeatable."),
    sdg: list[int] = typer.Option([], "--sdg", help="An SDG number 1–17; repeatable."),
    theme: list[str] = typer.Option([], "--theme", help="A theme; repeatable."),
    description: str = typer.Option("", "--description"),
    looking_for: str = typer.Option("", "--looking-for", help="What partners you look for."),
) -> None:
    """Create a project; then `uccn match --project ID` suggests partners."""
    session: Session = ctx.obj
    project = _projects(session).create(
        {
            "id": project_id,
            "title": title,
            "lead_city": lead.strip().lower(),
            "partners": [p.strip().lower() for p in partner],
            "fields": field,
            "sdgs": sdg,
            "themes": theme,
            "description": description,
            "looking_for": looking_for,
        }
    )
    out().print(
        f"Project {project.id!r} saved. `uccn match --project {project.id}` suggests partners."
    )


@app.command("list")
def list_projects(
    ctx: typer.Context,
    city: str | None = typer.Option(None, "--city", help="Only projects this city leads or joins."),
) -> None:
    """List the projects: lead city, partners, goals."""
    session: Session = ctx.obj
    found = _projects(session).listed(city)
    if not found:
        out().print("No projects yet. `uccn projects new --help` shows how to add one.")
        return
    print_table(
        f"{len(found)} project{'s' if len(found) != 1 else ''}",
        ["id", "title", "lead", "partners", "SDGs"],
        [
            [p.id, p.title, p.lead_city, ", ".join(p.partners), ", ".join(map(str, p.sdgs))]
            for p in found
        ],
    )


@app.command("show")
def show(ctx: typer.Context, project_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Show one project."""
    session: Session = ctx.obj
    project = _projects(session).get(project_id)
    out().print(f"{project.title} ({project.id}), led by {project.lead_city}", markup=False)
    for label, value in (
        ("partners", ", ".join(project.partners)),
        ("fields", ", ".join(project.fields)),
        ("SDGs", ", ".join(map(str, project.sdgs))),
        ("themes", ", ".join(project.themes)),
        ("looking for", project.looking_for),
        ("description", project.description),
    ):
        if value:
            out().print(f"{label}: {value}", markup=False, highlight=False)
