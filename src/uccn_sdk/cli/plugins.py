"""`uccn plugins`: what is loaded, from where, and what went wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from uccn_sdk.cli.session import Session, err, fail, out
from uccn_sdk.cli.tables import print_table


def list_plugins(
    ctx: typer.Context,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Also call every registration hook and try each match scorer on five "
            "sample cities, reporting anything invalid.",
        ),
    ] = False,
) -> None:
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
    print_table(f"{len(plugins.infos)} plugins", headers, rows)
    if not check:
        if plugins.problems:
            fail(f"{len(plugins.problems)} plugin problems (see the warnings above).")
        return
    from uccn_sdk.checks import check as check_plugins

    seen = len(plugins.problems)  # the session has shown these already
    problems = check_plugins(plugins)
    for problem in problems[seen:]:
        err().print(f"[yellow]warning:[/] {problem}", markup=True)
    if problems:
        fail(f"{len(problems)} plugin problems (see the warnings above).")
    out().print(
        f"Checked {len(plugins.infos)} plugins: every hook and scorer answered as it should."
    )


app = typer.Typer(help="Write plugins of your own.", no_args_is_help=True)


@app.command("new")
def new_plugin(
    name: Annotated[str, typer.Argument(help="The plugin's name, such as flight-hours.")],
    kind: Annotated[
        str, typer.Option("--kind", help="What it implements: scorer (a match scorer) or command.")
    ] = "scorer",
    folder: Annotated[
        Path | None,
        typer.Option("--folder", help="Where to write it; by default ./uccn-NAME."),
    ] = None,
) -> None:
    """Write a ready plugin distribution: the entry point, a hook, a passing test, a README."""
    from uccn_sdk.scaffold import Kind, create

    target = folder or Path.cwd() / f"uccn-{name.strip().lower().removeprefix('uccn-')}"
    written = create(name, target, cast(Kind, kind))
    for path in written:
        out().print(f"wrote {path}")
    out().print(
        f"\nNext: cd {target} && pip install -e '.[test]' && pytest\n"
        "Then `uccn plugins` lists it; its README says what to change.",
        markup=False,
    )
