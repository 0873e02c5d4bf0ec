"""`uccn plugins`: what is loaded, from where, and what went wrong."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from uccn_sdk.cli.session import Session, err, fail, out
from uccn_sdk.cli.tables import print_table

if TYPE_CHECKING:
    from uccn_sdk.contracts import MatchScorer
    from uccn_sdk.plugins import PluginProblem, Plugins


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
    An optional scorer (off until given a weight) whose extra is not installed is a note.
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
            fail(f"{_counted(len(plugins.problems))} (see the warnings above).")
        return
    from uccn_sdk.checks import check as check_plugins

    seen = len(plugins.problems)  # the session has shown these already
    problems = check_plugins(plugins)
    absent = _optional_not_installed(plugins, problems[seen:])
    noted = {problem for told in absent.values() for problem in told}
    failures = [problem for problem in problems if problem not in noted]
    for problem in failures[seen:]:
        err().print("[yellow]warning:[/] ", end="", markup=True)
        err().print(str(problem), markup=False)
    for note in absent:
        out().print(note, markup=False)
    if failures:
        fail(f"{_counted(len(failures))} (see the warnings above).")
    out().print(
        f"Checked {len(plugins.infos)} plugins: every hook and scorer answered as it should"
        + (f" ({len(absent)} optional, not installed: see above)." if absent else "."),
        markup=False,
    )


def _counted(problems: int) -> str:
    return f"{problems} plugin problem{'' if problems == 1 else 's'}"


def _optional_not_installed(
    plugins: Plugins, problems: list[PluginProblem]
) -> dict[str, list[PluginProblem]]:
    """The scorers that are off until given a weight and cannot be built because a module
    they need is not installed: a note saying so, and the problems the check found in each."""
    notes: dict[str, list[PluginProblem]] = {}
    for name, registered in plugins.match_scorers().entries.items():
        scorer = registered.value
        told = [
            problem
            for problem in problems
            if problem.plugin == registered.plugin
            and problem.message.startswith(f"scorer {name!r}")
        ]
        if not told or scorer.weight != 0:
            continue
        missing = _missing_module(scorer)
        if missing is not None:
            where = f"plugin {registered.plugin!r}: scorer {name!r}"
            notes[f"note: {where} is optional and not installed: {missing}"] = told
    return notes


def _missing_module(scorer: MatchScorer) -> str | None:
    """What the scorer said when it could not be built for want of a module that is not
    installed at all; None if it was built or failed otherwise."""
    from uccn_sdk import sample
    from uccn_sdk.config import MatchingSettings
    from uccn_sdk.matching.network import Network

    network = Network.of(sample.cities(), settings=MatchingSettings(weights={scorer.name: 1.0}))
    try:
        scorer.index(network)
    except Exception as error:
        cause: BaseException | None = error
        while cause is not None:
            name = cause.name if isinstance(cause, ModuleNotFoundError) else None
            if name and find_spec(name.partition(".")[0]) is None:
                return str(error) or repr(error)
            cause = cause.__cause__ or cause.__context__
    return None


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
