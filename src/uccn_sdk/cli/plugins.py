"""`uccn plugins`: what is loaded, from where, and what went wrong."""

from __future__ import annotations

import typer

from uccn_sdk.cli.session import Session, fail, out
from uccn_sdk.cli.tables import print_table


def list_plugins(ctx: typer.Context) -> None:
    """List the loaded plugins, their distributions, and the hooks each implements.

    Exits with status 1 when a plugin could not be loaded or registered something invalid.
    """
    session: Session = ctx.obj
    plugins = session.plugins
    rows = []
    for info in plugins.infos:
        distribution = f"{info.distribution} {info.version}" if info.distribution else "(inline)"
        for n, hook in enumerate(info.hooks or ("(none)",)):
            rows.append((info.name, distribution, hook) if n == 0 else ("", "", hook))
    headers = ("plugin", "distribution", "hooks")
    print_table(out, f"{len(plugins.infos)} plugins", headers, rows)
    if plugins.problems:
        fail(f"{len(plugins.problems)} plugin problems (see the warnings above).")
