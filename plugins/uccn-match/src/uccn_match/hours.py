"""Overlap of the working day, from the two cities' time zones (at today's offsets)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
from babel.numbers import format_decimal
from numpy.typing import NDArray

from uccn_sdk import Network, Profile, say, spoken_locale


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        start, end = network.settings.working_hours
        self.day = float(max(1, end - start))
        self._offsets: dict[str, float] = {}
        self.offsets = np.array(
            [self._offset(p.timezone) for p in network.profiles], dtype=np.float64
        )

    def _offset(self, zone: str | None) -> float:
        """Hours east of UTC now, NaN when the zone is not known."""
        if zone is None:
            return float("nan")
        if zone not in self._offsets:
            delta = self.network.now.astimezone(ZoneInfo(zone)).utcoffset()
            self._offsets[zone] = delta.total_seconds() / 3600 if delta is not None else 0.0
        return self._offsets[zone]

    def applies(self, subject: Profile) -> bool:
        return subject.timezone is not None

    def shared_hours(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        mine = np.array([self._offset(s.timezone) for s in subjects])[:, None]
        apart = np.abs(self.offsets[None, :] - mine)
        apart = np.minimum(apart, 24 - apart)
        hours: NDArray[np.float64] = np.nan_to_num(np.clip(self.day - apart, 0, self.day), nan=0.0)
        return hours

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        return self.shared_hours(subjects) / self.day

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        hours = score * self.day
        if hours >= self.day:
            return say("the same working hours")
        shown = format_decimal(round(hours, 1), format="#,##0.#", locale=spoken_locale())
        if round(hours, 1) == 1:
            return say("{hours} hour of shared working day", hours=shown)
        return say("{hours} hours of shared working day", hours=shown)
