"""`uccn cities …` and `uccn fields`: the directory."""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from uccn_sdk.cli.session import Session, err, fail, out
from uccn_sdk.cli.tables import print_table

if TYPE_CHECKING:
    from rich.progress import Progress

    from uccn_sdk.models import City

app = typer.Typer(help="List, show, import and export member cities.", no_args_is_help=True)

MAX_ERRORS_SHOWN = 50
MAX_TEXT_WIDTH = 88
"""The widest a description is wrapped to, however wide the terminal."""


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


FIELD = typer.Option([], "--field", "-f", help="A creative field (slug or name); repeatable.")
COUNTRY = typer.Option([], "--country", "-c", help="An ISO 3166-1 country code; repeatable.")
REGION = typer.Option([], "--region", "-r", help="A UNESCO region; repeatable.")
YEAR = typer.Option(
    [], "--year", "-y", help="A year of designation, in any of the city's fields; repeatable."
)


def _find(
    session: Session,
    fields: list[str],
    countries: list[str],
    regions: list[str],
    years: list[int],
) -> tuple[list[City], list[str]]:
    """The cities the filters find, and the fields' slugs."""
    from uccn_sdk.models import Region

    known = session.plugins.fields()
    slugs = []
    for name in fields:
        slug = _field_slug(session, name)
        if slug is None:
            fail(
                f"unknown creative field {name!r}; known fields: {', '.join(sorted(known.keys()))}"
            )
        slugs.append(slug)
    from uccn_sdk.models.values import is_country

    codes = []
    for country in countries:
        code = country.strip().upper()
        if not is_country(code):  # "0 cities" would read as none of the network's there
            fail(
                f"unknown country {country!r}: it is not an ISO 3166-1 alpha-2 country code "
                "(for example FR, NG, KR)"
            )
        codes.append(code)
    region_values = []
    for region in regions:
        matches = [r for r in Region if region.lower() in (r.value, r.label.lower())]
        if not matches:
            fail(f"unknown region {region!r}; regions: {', '.join(r.value for r in Region)}")
        region_values.append(matches[0].value)
    from uccn_sdk.directory.collation import name_key

    found = session.find_cities(fields=slugs, countries=codes, regions=region_values, years=years)
    return sorted(found, key=lambda city: (name_key(city.name), city.id)), slugs


def _field_slug(session: Session, name: str) -> str | None:
    lowered = name.strip().lower()
    for field in session.plugins.fields():
        if lowered == field.slug or lowered in (n.lower() for n in field.names.values()):
            return field.slug
    return None


@app.command("list")
def list_cities(
    ctx: typer.Context,
    field: list[str] = FIELD,
    country: list[str] = COUNTRY,
    region: list[str] = REGION,
    year: list[int] = YEAR,
    output: Format = typer.Option(Format.table, "--format", help="How to print the list."),
) -> None:
    """List member cities, filtered by field, country, region and year of designation.

    A city designated in several fields is found by any of them; the list gives the field and
    year of the designation the filters found (without them, the city's current field).
    """
    session: Session = ctx.obj
    cities, slugs = _find(session, field, country, region, year)
    if output is not Format.table:
        _export(session, cities, output.value, None)
        return
    fields = session.plugins.fields()
    rows = []
    for city in cities:
        designation = city.designation_in(slugs, year) or city.designations[-1]
        shown = fields.get(designation.field)
        rows.append(
            (
                city.id,
                city.name,
                city.country,
                shown.name() if shown else designation.field,
                str(designation.year),
                city.region.label if city.region else "",
                city.timezone or "",
            )
        )
    headers = ("id", "name", "country", "field", "since", "region", "time zone")
    print_table(_count(len(cities), "city", "cities"), headers, rows)


@app.command("show")
def show_city(ctx: typer.Context, city_id: str = typer.Argument(..., metavar="CITY")) -> None:
    """Show one city, with where each fact came from."""
    session: Session = ctx.obj
    with session.store.begin() as tx:
        city = tx.cities.get(city_id.strip().lower())
        if city is None:
            everyone = tx.cities.all()
    if city is None:
        by_name = [c.id for c in everyone if c.name.lower() == city_id.strip().lower()]
        close = by_name or difflib.get_close_matches(city_id.lower(), [c.id for c in everyone], 3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        fail(f"no city has the id {city_id!r}.{hint} `uccn cities list` shows the ids.")
    from rich.table import Table

    fields = session.plugins.fields()
    table = Table(title=f"{city.name} ({city.id})", show_header=True, title_justify="left")
    table.add_column("fact")
    table.add_column("value")
    table.add_column("source", style="dim", overflow="fold")
    coordinates = city.coordinates
    rows: list[tuple[str, str, str]] = [
        ("name", city.name, city.source_of("name")),
        ("country", city.country, city.source_of("country")),
        (
            "coordinates",
            f"{coordinates.lat}, {coordinates.lon}" if coordinates else "unknown",
            city.source_of("coordinates"),
        ),
        ("time zone", city.timezone or "unknown", city.source_of("timezone")),
        ("languages", ", ".join(city.languages) or "unknown", city.source_of("languages")),
        ("region", city.region.label if city.region else "unknown", city.source_of("region")),
    ]
    for designation in city.designations:
        field = fields.get(designation.field)
        name = field.name() if field else designation.field
        rows.append(("designation", f"{name}, {designation.year}", designation.source))
    for row in rows:
        table.add_row(*row)
    out().print(table)
    _print_profile(city)


def _print_profile(city: City) -> None:
    """The city's goals and description, when an import gave them."""
    from uccn_sdk.directory.sdgs import sdg_name

    console = out()
    if city.sdgs:
        console.print("\nSustainable Development Goals", markup=False)
        for number in sorted(city.sdgs):
            console.print(f"  {number:<3} {sdg_name(number)}", markup=False)
    if city.description.strip():
        console.print("\nDescription", markup=False)
        console.print(_wrapped(city.description, min(console.width, MAX_TEXT_WIDTH)), markup=False)


def _wrapped(text: str, width: int, indent: str = "  ") -> str:
    """`text` wrapped to `width` columns and indented, its paragraphs kept."""
    import re
    import textwrap

    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(
        textwrap.fill(p, width, initial_indent=indent, subsequent_indent=indent) for p in paragraphs
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@app.command("import")
def import_file(
    ctx: typer.Context,
    path: Path = typer.Argument(..., metavar="FILE", help="A .csv or .json file of cities."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file; write nothing."),
) -> None:
    """Add or update cities from a file: every row is checked first, then all are written or none.

    CSV columns: id, name, country, field, year (required); lat, lon, timezone, languages,
    region, sdgs, description (optional). Several values go in one cell, separated by ';':
    designations (field 'media-arts;literature' with year '2008;2023'), languages ('fr;en'),
    SDGs ('4;11'). A column left out or a blank cell keeps what the store knows of an existing
    city; region, languages and a single time zone are derived from a new country. A JSON file
    is a list of cities as `uccn cities export --format json` writes them.
    """
    from uccn_sdk.directory.reading import read_cities
    from uccn_sdk.directory.service import import_cities

    session: Session = ctx.obj
    fields = session.plugins.fields().as_dict()
    with _progress() as progress:
        task = progress.add_task("Checking rows", total=None)
        cities, errors = read_cities(
            path,
            fields,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if errors:
        for error in errors[:MAX_ERRORS_SHOWN]:
            err().print(f"{path.name}: {error}")
        if len(errors) > MAX_ERRORS_SHOWN:
            err().print(f"… and {len(errors) - MAX_ERRORS_SHOWN} more bad rows")
        fail(
            f"{len(errors)} of {len(errors) + len(cities)} rows in {path.name} are bad; "
            "nothing was imported. Fix them and import the file again."
        )
    if dry_run:
        out().print(
            f"{path.name}: all {len(cities)} rows are valid; nothing was written (dry run)."
        )
        return
    store = session.store
    with _progress() as progress:
        task = progress.add_task("Writing cities", total=None)
        report = import_cities(
            store,
            cities,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    out().print(
        f"Imported {path.name}: {len(report.added)} added, {len(report.updated)} updated, "
        f"{report.unchanged} unchanged."
    )


@app.command("export")
def export_cities(
    ctx: typer.Context,
    output_format: ExportFormat = typer.Option(ExportFormat.csv, "--format", help="File format."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write here instead of to standard output."
    ),
    field: list[str] = FIELD,
    country: list[str] = COUNTRY,
    region: list[str] = REGION,
    year: list[int] = YEAR,
) -> None:
    """Export cities in a form `uccn cities import` reads back."""
    session: Session = ctx.obj
    cities, _ = _find(session, field, country, region, year)
    count = _export(session, cities, output_format.value, output)
    if output is not None:
        err().print(f"Wrote {_count(count, 'city', 'cities')} to {output}.")


@app.command("optout")
def optout(
    ctx: typer.Context,
    city_id: str = typer.Argument(..., metavar="CITY"),
    undo: bool = typer.Option(False, "--undo", help="Take the city back in."),
) -> None:
    """Leave a city out of peer suggestions and matching rounds (--undo takes it back in)."""
    session: Session = ctx.obj
    city = city_id.strip().lower()
    changed = session.matching.set_opt_out(city, not undo)
    if undo and changed:
        said = f"{city} is taken back in: it is suggested to peers and paired in rounds again."
    elif undo:
        said = f"{city} was not left out of suggestions and rounds; nothing changed."
    elif changed:
        said = (
            f"{city} is now left out of peer suggestions and matching rounds; "
            f"`uccn cities optout {city} --undo` takes it back in."
        )
    else:
        said = f"{city} was already left out of suggestions and rounds; nothing changed."
    out().print(said, markup=False)


def _export(session: Session, cities: list[City], name: str, output: Path | None) -> int:
    exporter = session.plugins.exporters().get(f"cities:{name}")
    if exporter is None:
        fail(f"no exporter writes cities as {name!r}; is the plugin that provides it installed?")
    if output is None:
        return exporter.write(cities, sys.stdout)
    with output.open("w", encoding="utf-8", newline="") as handle:
        return exporter.write(cities, handle)


def list_fields(
    ctx: typer.Context,
    language: str = typer.Option("en", "--language", "-l", help="Language of the names."),
) -> None:
    """List the creative fields, how many member cities each has, and the plugins giving them."""
    session: Session = ctx.obj
    registry = session.plugins.fields()
    everyone = session.find_cities(fields=[], countries=[], regions=[], years=[])
    members = Counter(city.field for city in everyone)
    rows = [
        (
            entry.value.slug,
            entry.value.name(language),
            entry.value.names.get("en", ""),
            entry.value.names.get("fr", ""),
            entry.value.names.get("es", ""),
            str(entry.value.since or ""),
            str(members[entry.value.slug]),
            entry.plugin,
        )
        for entry in registry.entries.values()
    ]
    headers = ("slug", "name", "en", "fr", "es", "since", "cities", "plugin")
    print_table(f"{len(registry)} creative fields", headers, rows)


def _progress() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err(),
        transient=True,
    )
