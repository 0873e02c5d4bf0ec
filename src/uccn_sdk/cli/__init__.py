"""The `uccn` command. Heavy modules are imported inside commands, so `--help` stays fast."""

from __future__ import annotations

from pathlib import Path

import typer

from uccn_sdk.cli import announce, calls, cities, db, match, plugins, projects, rounds
from uccn_sdk.cli.session import Session, run

app = typer.Typer(
    name="uccn",
    help="The UNESCO Creative Cities Network's directory, plugins and bot.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(cities.app, name="cities")
app.add_typer(calls.app, name="calls")
app.add_typer(announce.app, name="announce")
app.add_typer(projects.app, name="projects")
app.add_typer(rounds.app, name="rounds")
app.add_typer(db.app, name="db")
app.command("plugins")(plugins.list_plugins)
app.add_typer(plugins.app, name="plugin")
app.command("fields")(cities.list_fields)
app.command("match")(match.match)


def _add_installed_groups() -> None:
    """Command groups other distributions add, such as `uccn bot` from uccn-bot."""
    from uccn_sdk.entrypoints import entry_points

    for entry_point in entry_points(group="uccn.cli"):
        try:
            group = entry_point.load()
        except Exception as error:  # a broken add-on must not take the command down
            import sys

            print(f"warning: `uccn {entry_point.name}` is unavailable: {error}", file=sys.stderr)
            continue
        app.add_typer(group, name=entry_point.name)


_add_installed_groups()


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
