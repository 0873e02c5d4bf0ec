"""`uccn bot …`, added to the `uccn` command through the `uccn.cli` entry point."""

from __future__ import annotations

import asyncio
import logging
import signal

import typer

from uccn_sdk.cli.session import Session, fail, out

app = typer.Typer(help="Run the chat bot.", no_args_is_help=True)


@app.command("run")
def run(
    ctx: typer.Context,
    platform: list[str] = typer.Option(
        [], "--platform", "-p", help="Run only these connectors (default: every configured one)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what the bot does."),
) -> None:
    """Connect to the configured platforms and run until stopped (Ctrl-C or SIGTERM).

    With `--platform console` and no configuration, you type in the terminal as the
    Secretariat (`/as USER` to be someone else).
    """
    from uccn_bot.runner import Bot
    from uccn_sdk.chat.state import StoredState

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    session: Session = ctx.obj
    config = session.config
    names = platform or list(config.connectors)
    if not names:
        fail(
            "no connector to run: add a [connectors.matrix] section to the configuration "
            "(--config or UCCN_CONFIG), or try the bot with --platform console"
        )
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
        connectors.append(
            factory(config.connectors.get(name, {}), StoredState(session.store, name))
        )
    bot = Bot(session.store, session.plugins, config, connectors)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, bot.stop)
        await bot.run()

    out.print(f"uccn bot running on {', '.join(names)}; Ctrl-C stops it.")
    asyncio.run(main())


@app.command("demo")
def demo() -> None:
    """Play a whole call on a throwaway Synapse on loopback, then stop everything.

    Needs matrix-synapse (pip install 'uccn-bot[test]'; `python3 dev.py demo` installs it).
    """
    try:
        import synapse  # noqa: F401
    except ImportError:
        fail("the demo needs a local Synapse: pip install 'uccn-bot[test]' (dev.py demo does)")
    from uccn_bot.demo import run_demo

    run_demo()
