"""`uccn db …`: the store's schema."""

from __future__ import annotations

import typer

from uccn_sdk.cli.session import Session, out

app = typer.Typer(help="Create or migrate the store's database.", no_args_is_help=True)


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
