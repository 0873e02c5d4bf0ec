"""Pacing: about one message per second per channel, with short bursts, as Slack asks.

A token bucket per channel, written by hand (a few lines; the libraries on PyPI that do
this pace one global rate, not one per key). Slack's own 429 answers are still retried by
slack_sdk's retry handler: pacing only keeps them rare.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_CHANNELS = 10_000
"""Buckets kept at most; full buckets are dropped first when there are more."""


@dataclass
class _Bucket:
    tokens: float
    at: float


class Pacer:
    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("pacing needs a positive rate and a burst of at least 1")
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, _Bucket] = {}
        self.waited = 0.0
        """Seconds spent waiting for a channel's turn, in all."""

    def delay(self, channel: str) -> float:
        """Take a token for `channel`; return how long to wait before sending."""
        now = self.clock()
        bucket = self._buckets.get(channel)
        if bucket is None:
            if len(self._buckets) >= MAX_CHANNELS:
                self._forget(now)
            bucket = self._buckets[channel] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        bucket.tokens -= 1
        return 0.0 if bucket.tokens >= 0 else -bucket.tokens / self.rate

    async def wait(self, channel: str) -> None:
        delay = self.delay(channel)
        if delay > 0:
            self.waited += delay
            await asyncio.sleep(delay)

    def _forget(self, now: float) -> None:
        full = [
            c for c, b in self._buckets.items() if b.tokens + (now - b.at) * self.rate >= self.burst
        ]
        for channel in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[channel]
