"""Mentoring: a recently designated city with a seasoned one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from uccn_sdk import Network, Profile, say


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        settings = network.settings
        self.this_year = network.now.year
        self.recent_within = settings.recent_within
        self.seasoned_after = settings.seasoned_after
        years = np.array([p.year or 0 for p in network.profiles], dtype=np.int64)
        known = years > 0
        age = self.this_year - years
        self.recent = known & (age <= self.recent_within)
        self.seasoned = known & (age >= self.seasoned_after)

    def _kind(self, year: int | None) -> str | None:
        if year is None:
            return None
        age = self.this_year - year
        if age <= self.recent_within:
            return "recent"
        if age >= self.seasoned_after:
            return "seasoned"
        return None

    def applies(self, subject: Profile) -> bool:
        return subject.year is not None

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        out = np.zeros((len(subjects), len(self.network)))
        for i, subject in enumerate(subjects):
            kind = self._kind(subject.year)
            if kind == "recent":
                out[i] = self.seasoned
            elif kind == "seasoned":
                out[i] = self.recent
        return out

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        other = self.network.profiles[candidate]
        if self._kind(subject.year) == "recent":
            return say(
                "{city}, in the network since {year}, can mentor a new member",
                city=other.label,
                year=other.year,
            )
        return say("{city} joined in {year}: a city to mentor", city=other.label, year=other.year)
