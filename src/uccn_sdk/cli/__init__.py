"""The `uccn` command. Heavy modules are imported inside commands, so `--help` stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import typer

from uccn_sdk.cli import doctor, plugins
from uccn_sdk.cli.lazy import Lazy, from_module, lazy_group
from uccn_sdk.cli.session import Session, run
from uccn_sdk.directory import cli as cities
from uccn_sdk.matching.cli import match

GROUPS = {
    "calls": "uccn_sdk.calls.cli:app",
    "announce": "uccn_sdk.announcements.cli:app",
    "projects": "uccn_sdk.matching.cli.projects:app",
    "rounds": "uccn_sdk.matching.cli.rounds:app",
    "db": "uccn_sdk.cli.db:app",
    "plugin": "uccn_sdk.cli.plugins:app",
}
"""Command groups imported when run or shown in help, by where their Typer app lives."""
ORDER = ("cities", "fields", "plugins", "plugin", "match", "projects", "rounds", "calls")
"""How help lists the commands; the others (announce, db, add-ons) come after."""


def _groups() -> Iterator[Lazy]:
    """The lazy groups: uccn's own, then those other distributions add through the
    `uccn.cli` entry points, such as `uccn bot` from uccn-bot."""
    from uccn_sdk.entrypoints import entry_points

    for name, path in GROUPS.items():
        yield name, "uccn", from_module(path)
    for entry_point in entry_points(group="uccn.cli"):
        origin = entry_point.dist.name if entry_point.dist else entry_point.value
        yield entry_point.name, origin, entry_point.load


app = typer.Typer(
    name="uccn",
    help="The UNESCO Creative Cities Network's directory, plugins and bot.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=lazy_group(_groups, order=ORDER),
)
app.add_typer(cities.app, name="cities")
app.command("plugins")(plugins.list_plugins)
app.command("fields")(cities.list_fields)
app.command("match")(match.match)
app.command("doctor")(doctor.doctor)


@app.callback()
def _options(
    ctx: typer.Context,
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="UCCN_DATABASE_URL",
        help="SQLAlchemy URL of the store; by default a SQLite file in the user's data folder.",
        show_envvar=True,
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        envvar="UCCN_CONFIG",
        help="The bot's TOML configuration: rooms, the Secretariat, connectors.",
        show_envvar=True,
    ),
) -> None:
    ctx.obj = Session(database_url, config)


def main() -> None:
    """Entry point of the `uccn` script."""
    run(app)
