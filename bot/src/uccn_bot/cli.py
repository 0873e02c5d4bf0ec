"""`uccn bot …`, added to the `uccn` command through the `uccn.cli` entry point."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from uccn_sdk.cli.session import Session, fail, out

if TYPE_CHECKING:
    from uccn_bot.workers import Workers
    from uccn_sdk.runtime.bot import Bot

app = typer.Typer(help="Run the chat bot.", no_args_is_help=True)


@app.command("run")
def run(
    ctx: typer.Context,
    platform: list[str] = typer.Option(
        [], "--platform", "-p", help="Run only these connectors (default: every configured one)."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        "-w",
        min=1,
        max=32,
        help="Worker processes sharing the database: all send, one leads the scheduler.",
    ),
    verbose: int = typer.Option(
        0,
        "--verbose",
        "-v",
        count=True,
        help="-v: uccn's debug lines too; -vv: the libraries' as well.",
    ),
    log_format: str = typer.Option(
        "text", "--log-format", help="text, or json: one object a line, for a log collector."
    ),
) -> None:
    """Connect to the configured platforms and run until stopped (Ctrl-C or SIGTERM).

    With `--platform console` and no configuration, you type in the terminal as the
    Secretariat (`/as USER` to be someone else). With `--workers N` (PostgreSQL, or SQLite
    on one machine) N processes share the work; only the first reads the terminal.
    """
    import multiprocessing

    from uccn_sdk.config import config_path, exposed_secrets

    session: Session = ctx.obj
    if log_format not in ("text", "json"):
        fail(f"--log-format is text or json, not {log_format!r}")
    from uccn_bot.logs import configure

    configure(verbose, "json" if log_format == "json" else "text")
    session.log_notices = log_format == "json"
    names = platform or list(session.config.connectors)
    path = config_path(session.config_path)
    if path is not None and (secrets := exposed_secrets(path)):
        session.notice(
            f"{path} holds secrets ({', '.join(secrets)}) that other users of this "
            f"machine can read; make it private: chmod 600 {path}",
            warning=True,
        )
    if not names:
        fail(
            "no connector to run: add a [connectors.matrix] or [connectors.slack] section to the "
            "configuration "
            "(--config or UCCN_CONFIG), or try the bot with --platform console"
        )
    session.store  # noqa: B018 - migrate and load the directory once, before the workers start
    from uccn_bot.workers import Workers

    children = Workers(
        multiprocessing.get_context("spawn"),
        _worker,
        (session.database_url, session.config_path, names, (verbose, log_format)),
        workers,
    )
    children.start()
    running = (
        f"uccn bot running on {', '.join(names)}"
        + (f" with {workers} workers" if workers > 1 else "")
        + "; Ctrl-C stops it."
    )
    try:
        _worker(
            session.database_url,
            session.config_path,
            names,
            (verbose, log_format),
            0,
            session,
            running,
            children,
        )
    finally:
        children.stop()


def _worker(
    database_url: str | None,
    config_path: Path | None,
    names: list[str],
    logs: tuple[int, str],
    index: int,
    session: Session | None = None,
    running: str | None = None,
    children: Workers | None = None,
    parent: int | None = None,
) -> None:
    """One worker (the first, index 0, reads the terminal): its own store connection,
    connectors and bot; stops on SIGINT/SIGTERM. `running` is said once every connector is
    connected, and the health listener (an `[http]` section) is on port + index. The first
    worker watches the others (`children`); the others stop when it (`parent`) is gone."""
    import asyncio
    import logging
    import multiprocessing
    import signal

    from uccn_bot.logs import configure
    from uccn_sdk.chat.state import StoredState
    from uccn_sdk.errors import UccnError
    from uccn_sdk.runtime.bot import Bot, Stopped

    if index == 0:  # the others are named so when started (their log lines say which)
        multiprocessing.current_process().name = "uccn-worker-0"
    configure(logs[0], "json" if logs[1] == "json" else "text")
    session = session or Session(database_url, config_path)
    config = session.config
    if "console" in names and "console" not in config.secretariat:
        config = config.model_copy(
            update={"secretariat": {**config.secretariat, "console": ["secretariat"]}}
        )
    factories = session.plugins.connectors()
    connectors = []
    for name in names:
        factory = factories.get(name)
        if factory is None:
            fail(f"no connector for {name!r}; installed: {', '.join(factories.keys()) or 'none'}")
        settings = dict(config.connectors.get(name, {}))
        if name == "console" and index > 0:
            settings["input"] = False
        connector = factory(settings, StoredState(session.store, name))
        if index > 0 and connector.exclusive:
            logging.getLogger("uccn.bot").info(
                "%s runs in the first worker only (its state is one process's)", name
            )
            continue
        connectors.append(connector)
    bot = Bot(session.store, session.plugins, config, connectors)

    if children is not None:
        bot.metrics.workers_alive.set_function(lambda: float(children.alive()))
        bot.metrics.worker_restarts.set_function(lambda: float(children.restarts))

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, bot.stop)
        from uccn_bot.workers import stop_when_orphaned

        orphaned = (
            asyncio.create_task(stop_when_orphaned(bot.stop, parent))
            if parent is not None
            else None
        )
        listener = None
        if config.http is not None:
            from uccn_bot.http import serve

            port = config.http.port + index if config.http.port else 0
            try:
                listener, port = await serve(bot, config.http, port)
            except OSError as error:
                fail(f"the health listener cannot use {config.http.host}:{port}: {error}")
            logging.getLogger("uccn.bot").info(
                "health and metrics on http://%s:%d/ (healthz, readyz, metrics)",
                config.http.host,
                port,
            )
        console = None
        if config.web is not None:
            from uccn_bot.http import serve_console

            port = config.web.port + index if config.web.port else 0
            try:
                console, port = await serve_console(bot, config.web, port)
            except OSError as error:
                fail(f"the web console cannot use {config.web.host}:{port}: {error}")
            except UccnError as error:
                fail(str(error))
            logging.getLogger("uccn.bot").info(
                "the web console on http://%s:%d/ (people open %s)",
                config.web.host,
                port,
                config.web.url,
            )
        announce = asyncio.create_task(_say_when_ready(bot, running, logs[1] == "json"))
        try:
            await bot.run()
        finally:
            announce.cancel()
            if orphaned is not None:
                orphaned.cancel()
            for runner in (listener, console):
                if runner is not None:
                    await runner.cleanup()

    try:
        asyncio.run(main())
    except Stopped as stopped:  # logged with its traceback; one line for the operator
        if logs[1] == "json":  # every line a JSON object, this one too
            logging.getLogger("uccn.bot").critical("error: %s", stopped)
            raise SystemExit(1) from None
        fail(str(stopped))


async def _say_when_ready(bot: Bot, running: str | None, as_log: bool) -> None:
    """Say `running` once every connector is connected: on the terminal, or as a log line
    when the log is JSON (one object a line, whatever reads it)."""
    await bot.ready.wait()
    if running and as_log:
        import logging

        logging.getLogger("uccn.bot").info(running)
    elif running:
        out().print(running)


@app.command("keys")
def keys(ctx: typer.Context) -> None:
    """Show the bot's Matrix device and its fingerprint (to compare with what clients show), and
    the account's cross-signing recovery key: once, to write down and keep safe."""
    from uccn_bot.matrix.keys import report

    session: Session = ctx.obj
    matrix = session.config.connectors.get("matrix")
    if not matrix:
        fail("no [connectors.matrix] in the configuration (--config or UCCN_CONFIG)")
    for line in report(matrix):
        out().print(line, markup=False, highlight=False)


@app.command("demo")
def demo(
    web: bool = typer.Option(
        False, "--web", help="Then serve the web console on the demo's store until Ctrl-C."
    ),
    port: int = typer.Option(8080, "--port", min=0, max=65535, help="The console's port."),
) -> None:
    """Play a whole call on a throwaway Synapse on loopback, then stop everything.

    Needs matrix-synapse (pip install 'uccn-bot[test]'; `python3 dev.py demo` installs it).
    """
    try:
        import synapse  # noqa: F401
    except ImportError:
        fail("the demo needs a local Synapse: pip install 'uccn-bot[test]' (dev.py demo does)")
    from uccn_bot.demo import run_demo

    run_demo(port if web else None)
