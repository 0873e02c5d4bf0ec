"""What the commands share: the plugins and the store, opened on first use, and errors."""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, NoReturn

import typer

from uccn_sdk.errors import UccnError

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from uccn_sdk.announcements.service import Announcements
    from uccn_sdk.calls.service import Calls
    from uccn_sdk.config import NetworkConfig
    from uccn_sdk.matching.service import Matching
    from uccn_sdk.models import City
    from uccn_sdk.plugins import Plugins
    from uccn_sdk.store import Store


@cache
def out() -> Console:
    """The console for results. Made on first use: importing rich is a sixth of `--help`.
    Text such as ':fire:' in a record is printed as written, not as an emoji."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, emoji=False)


@cache
def err() -> Console:
    """The console for progress, warnings and errors."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


class CommandError(UccnError):
    """A problem with the command's arguments or the records it names."""


class Session:
    def __init__(self, database_url: str | None, config_path: Path | None = None) -> None:
        self.database_url = database_url
        self.config_path = config_path
        self._plugins: Plugins | None = None
        self._store: Store | None = None
        self._config: NetworkConfig | None = None
        self.log_notices = False
        """Say notices (a directory loaded, a plugin's problem) as log records, not on the
        terminal: `uccn bot run --log-format json` keeps stderr to JSON lines."""

    def notice(self, text: str, *, warning: bool = False) -> None:
        if self.log_notices:
            import logging

            logging.getLogger("uccn.cli").log(logging.WARNING if warning else logging.INFO, text)
        elif warning:
            err().print("[yellow]warning:[/] ", end="", markup=True)
            err().print(text, markup=False, highlight=False)
        else:
            err().print(text, markup=False, highlight=False)

    @property
    def config(self) -> NetworkConfig:
        if self._config is None:
            from uccn_sdk.config import load_config

            self._config = load_config(self.config_path)
        return self._config

    @property
    def calls(self) -> Calls:
        from uccn_sdk.calls.service import Calls

        return Calls(self.store, self.plugins, self.config)

    @property
    def announcements(self) -> Announcements:
        from uccn_sdk.announcements.service import Announcements

        return Announcements(self.store, self.config)

    @property
    def matching(self) -> Matching:
        from uccn_sdk.matching.service import Matching

        return Matching(self.store, self.plugins, self.config)

    @property
    def plugins(self) -> Plugins:
        if self._plugins is None:
            from uccn_sdk.plugins import Plugins

            self._plugins = Plugins.load()
            self._plugins.fields()
            self._plugins.city_sources()
            self._plugins.exporters()
            from uccn_sdk import messages

            messages.use(self._plugins.translations())
            for problem in self._plugins.problems:
                self.notice(str(problem), warning=True)
        return self._plugins

    @property
    def store(self) -> Store:
        """The store, migrated and with every plugin's city source loaded."""
        if self._store is None:
            from uccn_sdk.directory.service import sync_sources
            from uccn_sdk.store import Store

            store = Store.open(self.database_url)
            for load in sync_sources(store, self.plugins.city_sources()):
                report = load.report
                self.notice(
                    f"Loaded the {load.source!r} directory: {len(report.added)} cities added, "
                    f"{len(report.updated)} updated"
                    + (f", {len(report.kept)} kept as imported" if report.kept else "")
                    + "."
                )
            self._store = store
        return self._store

    def find_cities(
        self,
        *,
        fields: list[str],
        countries: list[str],
        regions: list[str],
        years: list[int],
    ) -> list[City]:
        """Cities matching every filter. A SQLite store that is migrated and has every city
        source loaded is read with the standard library, which spares a listing the import
        of SQLAlchemy; any other store is opened (and loaded) as usual."""
        if self._store is None:
            from uccn_sdk.directory.service import unloaded
            from uccn_sdk.store.location import database_url
            from uccn_sdk.store.reader import Reader

            reader = Reader.open(database_url(self.database_url))
            if reader is not None:
                with reader:
                    if not unloaded(self.plugins.city_sources(), reader.source_versions()):
                        return reader.find_cities(
                            fields=fields, countries=countries, regions=regions, years=years
                        )
        with self.store.begin() as tx:
            return tx.cities.find(fields=fields, countries=countries, regions=regions, years=years)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def fail(message: str) -> NoReturn:
    raise CommandError(message)


def run(app: typer.Typer) -> None:
    """Run the app, turning the errors a user can act on into one paragraph and exit 1."""
    try:
        app()
    except UccnError as error:
        _explain(str(error))
    except OSError as error:  # a file it was given: missing, a folder, not readable
        where = f"{error.filename}: " if error.filename else ""
        _explain(f"{where}{error.strerror or error}")
    except UnicodeDecodeError as error:
        _explain(f"a file it was given is not UTF-8 text ({error.reason} at byte {error.start})")


def _explain(problem: str) -> NoReturn:
    from rich.markup import escape

    # The problem may quote what the user typed ([/red] included): never read it as markup.
    err().print(f"[red]error:[/] {escape(problem)}", markup=True)
    sys.exit(1)
