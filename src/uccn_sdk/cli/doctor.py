"""`uccn doctor`: the configuration and the world it points at, each problem with its fix."""

from __future__ import annotations

import asyncio

import typer

from uccn_sdk.cli.session import Session, out


def doctor(ctx: typer.Context) -> None:
    """Check the database, the room map against the directory, and each connector on its
    platform (it logs in; the rooms it should be in; what it may do there). Lists each
    problem with its fix; exits 1 if there is any."""
    from uccn_sdk.diagnosis import connector_findings, network_findings, store_findings

    session: Session = ctx.obj
    findings = store_findings(session.database_url)
    if all(f.ok for f in findings):
        session.store  # noqa: B018 - the directory loaded, as the bot would have it
        findings += network_findings(session.store, session.config)
    findings += asyncio.run(connector_findings(session.plugins, session.config))
    problems = [f for f in findings if not f.ok]
    for finding in findings:
        mark = "ok  " if finding.ok else "FAIL"
        out().print(f"{mark} {finding.what}", markup=False, highlight=False)
        if finding.fix and not finding.ok:
            out().print(f"     fix: {finding.fix}", markup=False, highlight=False)
    out().print(
        f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found."
        if problems
        else "No problem found.",
        markup=False,
    )
    if problems:
        raise typer.Exit(1)
