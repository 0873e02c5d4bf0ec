"""`uccn web`: the console alone, on the configured store (`uccn bot run` serves it beside the
bot when the configuration has a `[web]` section)."""

from __future__ import annotations

import typer

from uccn_sdk.cli.session import Session, err, fail

app = typer.Typer(
    help="Serve the web console (sign in with the link the bot gives: write “web” to it).",
    invoke_without_command=True,
)


@app.callback()
def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Default: [web] host, else 127.0.0.1."),
    port: int | None = typer.Option(
        None, "--port", min=0, max=65535, help="Default: [web] port, else 8080."
    ),
) -> None:
    """Serve the console until Ctrl-C; loopback unless told otherwise."""
    if ctx.invoked_subcommand is not None:
        return
    from aiohttp import web

    from uccn_sdk.config import WebSettings
    from uccn_sdk.runtime.context import Runtime
    from uccn_web.app import application

    session: Session = ctx.obj
    settings = session.config.web or WebSettings()
    settings = settings.model_copy(
        update={"host": host or settings.host, "port": settings.port if port is None else port}
    )
    runtime = Runtime(session.store, session.plugins, session.config)
    console = application(runtime, settings)

    def said(text: str) -> None:
        err().print(text, markup=False)

    said(f"The uccn console listens on http://{settings.host}:{settings.port} (Ctrl-C stops it).")
    said("Sign in with the link the bot gives you: write “web” to it in a direct chat.")
    try:
        web.run_app(console, host=settings.host, port=settings.port, print=None, access_log=None)
    except OSError as error:
        fail(f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}")
