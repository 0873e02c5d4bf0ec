"""The bot's small HTTP listener (aiohttp): `/healthz` (the process answers), `/readyz` (it can
work: see :mod:`uccn_sdk.runtime.health`) and `/metrics` (Prometheus' text format)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from uccn_sdk.config import HttpSettings, WebSettings
from uccn_sdk.errors import UccnError
from uccn_sdk.runtime.bot import Bot
from uccn_sdk.runtime.health import readiness
from uccn_sdk.runtime.metrics import CONTENT_TYPE

HEALTH = ("/healthz", "/readyz", "/metrics")


def application(bot: Bot, settings: HttpSettings) -> web.Application:
    app = web.Application()
    add_health(app, bot, settings)
    return app


def add_health(app: web.Application, bot: Bot, settings: HttpSettings) -> None:
    """`/healthz`, `/readyz` and `/metrics` on `app`."""

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(request: web.Request) -> web.Response:
        checks = await asyncio.to_thread(readiness, bot, settings.stuck_after)
        ready = all(check.ok for check in checks)
        lines = [f"{'ok' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in checks]
        return web.Response(status=200 if ready else 503, text="\n".join(lines) + "\n")

    async def metrics(request: web.Request) -> web.Response:
        body = await asyncio.to_thread(bot.metrics.render)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


async def serve(bot: Bot, settings: HttpSettings, port: int) -> tuple[web.AppRunner, int]:
    """Start listening on `settings.host`:`port`; the runner (to clean up) and the port bound
    (the one asked for, or the one the system chose for 0). OSError when the port is taken."""
    return await listen(application(bot, settings), settings.host, port)


async def serve_console(bot: Bot, settings: WebSettings, port: int) -> tuple[web.AppRunner, int]:
    """The web console (uccn-web) over the bot's own runtime, on `settings.host`:`port`, with
    the health and metrics endpoints beside its pages. UccnError when uccn-web is not
    installed; OSError when the port is taken."""
    try:
        from uccn_web.app import application as console
    except ImportError:
        raise UccnError(
            "the configuration has a [web] section, but the web console is not installed: "
            "pip install uccn-web (or remove the section)"
        ) from None
    app = console(bot.runtime, settings, public=HEALTH)
    add_health(app, bot, bot.config.http or HttpSettings())  # one port: pages, health, metrics
    return await listen(app, settings.host, port)


async def listen(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    return runner, bound_port(runner, port)


def bound_port(runner: web.AppRunner, asked: int) -> int:
    """The port `runner` listens on: the one the system chose when `asked` was 0."""
    for site in runner.sites:
        server = getattr(site, "_server", None)  # aiohttp keeps the listening sockets there
        if server is not None and server.sockets:
            return int(server.sockets[0].getsockname()[1])
    return asked
