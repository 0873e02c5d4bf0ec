"""`uccn db …`: the store's schema."""

from __future__ import annotations

from pathlib import Path

import typer

from uccn_sdk.cli.session import Session, out

app = typer.Typer(
    help="Create, migrate, back up or restore the store's database.", no_args_is_help=True
)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create the database or migrate it to the newest schema."""
    from uccn_sdk.store import Store

    session: Session = ctx.obj
    store = Store.connect(session.database_url)
    before, after = store.upgrade()
    if before == after:
        out().print(f"{store.url} is up to date at schema revision {after}.")
    else:
        out().print(f"{store.url}: migrated from revision {before or 'none'} to {after}.")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Say which database is used and at which schema revision."""
    from uccn_sdk.store import Store
    from uccn_sdk.store.database import HEAD

    session: Session = ctx.obj
    store = Store.connect(session.database_url)
    revision = store.revision()
    state = "up to date" if revision == HEAD else f"not at the newest revision, {HEAD}"
    out().print(f"{store.url}: schema revision {revision or 'none'}, {state}.")


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A new file to write the copy to."),
) -> None:
    """Copy a SQLite store to FILE, safely while the bot runs (SQLite's online backup).

    On PostgreSQL, use pg_dump (docs/deployment.md says how).
    """
    from uccn_sdk.store import Store
    from uccn_sdk.store.backup import backup as copy

    session: Session = ctx.obj
    store = Store.connect(session.database_url)
    size = copy(store, file)
    out().print(f"Copied {store.url} to {file} ({size:,} bytes).")


@app.command("restore")
def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A backup made by `uccn db backup`."),
) -> None:
    """Replace a SQLite store with the backup FILE (checked first; all of it or nothing).

    Stop the bot first: a restore is refused while one runs on the store. The database is then
    migrated if the backup is older than this uccn.
    """
    from uccn_sdk.store import Store
    from uccn_sdk.store.backup import restore as replace

    session: Session = ctx.obj
    store = Store.connect(session.database_url)
    revision = replace(store, file)
    before, after = Store.connect(session.database_url).upgrade()
    migrated = f"; migrated from {before} to {after}" if before != after else ""
    out().print(f"Restored {store.url} from {file} (schema revision {revision}{migrated}).")
