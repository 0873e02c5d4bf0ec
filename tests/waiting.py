"""Waiting for something a bot does in the background, with a bound."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def until(check: Callable[[], Any], timeout: float = 30.0, interval: float = 0.1) -> Any:
    """Wait until `check()` returns something true; fail with what it last returned."""
    deadline = asyncio.get_running_loop().time() + timeout
    value = check()
    while not value:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting; last value {value!r}")
        await asyncio.sleep(interval)
        value = check()
    return value


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30.0) -> Any:
    """Like `until`, for a check that must be awaited."""
    deadline = asyncio.get_running_loop().time() + timeout
    value = await check()
    while not value:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting; last value {value!r}")
        await asyncio.sleep(0.2)
        value = await check()
    return value
