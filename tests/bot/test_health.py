"""The health listener: `/healthz` answers while the process runs, `/readyz` says whether the
bot can work and why not, `/metrics` counts what flows (Prometheus' text format)."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest
from uccn_bot.http import serve

from tests.waiting import eventually, until
from uccn_sdk.config import HttpSettings
from uccn_sdk.testing import TestBot

pytestmark = pytest.mark.asyncio


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url) as response:
        return response.status, await response.text()


def value(metrics: str, name: str) -> float | None:
    """The value of the sample `name` (with its labels, as Prometheus writes them)."""
    found = re.search(rf"^{re.escape(name)} (\S+)$", metrics, re.M)
    return float(found.group(1)) if found else None


async def test_health_readiness_and_metrics_follow_the_bot(uccn_bot: TestBot) -> None:
    bot = uccn_bot.bot
    runner, port = await serve(bot, HttpSettings(port=0), 0)
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        assert await get(http, f"{base}/healthz") == (200, "ok\n")
        status, text = await get(http, f"{base}/readyz")
        assert status == 503  # not connected yet, and no worker leads the scheduler
        assert "FAIL connector test: not connected" in text
        assert "FAIL scheduler: no worker has led yet" in text
        assert "ok database: at revision" in text

        running = asyncio.create_task(bot.run())
        await until(bot.ready.is_set)

        async def ready() -> str | None:
            status, text = await get(http, f"{base}/readyz")
            return text if status == 200 else None

        text = await eventually(ready)
        assert "ok connector test: connected" in text and "ok scheduler" in text

        await bot.on_event(uccn_bot.network.message("@lyon", "!uccn help"))

        async def answered() -> str | None:
            _, metrics = await get(http, f"{base}/metrics")
            sent = value(metrics, 'uccn_posts_sent_total{kind="answer",platform="test"}')
            return metrics if sent == 1.0 else None

        metrics = await eventually(answered)
        assert value(metrics, 'uccn_events_received_total{platform="test"}') == 1.0
        assert value(metrics, 'uccn_events_handled_total{platform="test"}') == 1.0
        assert value(metrics, 'uccn_connector_up{platform="test"}') == 1.0
        assert value(metrics, "uccn_scheduler_leader") == 1.0
        assert value(metrics, "uccn_database_up") == 1.0
        assert value(metrics, "uccn_inbox_depth") == 0.0
        assert value(metrics, 'uccn_send_seconds_count{platform="test"}') == 1.0
        assert value(metrics, "process_resident_memory_bytes") is not None
        # The leader's first job (closing calls, queuing reminders) started, and how late.
        assert value(metrics, 'uccn_scheduler_lag_seconds_count{job="tick"}') == 1.0
        assert value(metrics, 'uccn_rate_limit_wait_seconds_total{platform="test"}') == 0.0

        bot.stop()
        await running
        _, metrics = await get(http, f"{base}/metrics")
        assert value(metrics, 'uccn_connector_up{platform="test"}') == 0.0
        assert value(metrics, "uccn_scheduler_leader") == 0.0
    await runner.cleanup()


async def test_a_stuck_outbox_makes_the_bot_not_ready(uccn_bot: TestBot) -> None:
    from datetime import timedelta

    from uccn_sdk.chat.events import OutboundMessage

    bot = uccn_bot.bot
    with uccn_bot.network.store.begin() as tx:
        tx.outbox.enqueue("k", "test", OutboundMessage(room="#lyon", text="hi"), kind="notice")
    runner, port = await serve(bot, HttpSettings(port=0, stuck_after=timedelta(0)), 0)
    async with aiohttp.ClientSession() as http:
        status, text = await get(http, f"http://127.0.0.1:{port}/readyz")
    await runner.cleanup()
    assert status == 503
    assert re.search(r"^FAIL outbox test: the oldest waiting came \d+ s ago$", text, re.M)
