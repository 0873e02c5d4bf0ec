"""`uccn plugins`: what is loaded, from where, and what went wrong."""

from __future__ import annotations

import typer

from uccn_sdk.cli.session import Session, err, out


def list_plugins(ctx: typer.Context) -> None:
    """List the loaded plugins, their distributions, and the hooks each implements."""
    from rich.table import Table

    session: Session = ctx.obj
    plugins = session.plugins
    table = Table(title=f"{len(plugins.infos)} plugins", title_justify="left", show_edge=False)
    for column in ("plugin", "distribution", "hooks"):
        table.add_column(column)
    for info in plugins.infos:
        distribution = f"{info.distribution} {info.version}" if info.distribution else "(inline)"
        table.add_row(info.name, distribution, "\n".join(info.hooks))
    out.print(table)
    if plugins.problems:
        err.print(f"{len(plugins.problems)} problems (see the warnings above).")
