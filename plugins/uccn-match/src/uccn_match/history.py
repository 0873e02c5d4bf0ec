"""History: cities that already work together or met, or were introduced before, score lower."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from uccn_sdk.matching.network import Network
from uccn_sdk.matching.profile import Profile

INTRODUCED_ONCE = 0.3
"""The score of a pair introduced in one earlier round; twice or more, 0."""


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.met: dict[str, dict[int, int]] = {}
        for pair, count in network.paired.items():
            if len(pair) != 2:
                continue
            a, b = tuple(pair)
            if a in network.rows and b in network.rows:
                self.met.setdefault(a, {})[network.rows[b]] = count
                self.met.setdefault(b, {})[network.rows[a]] = count

        self.met_pairs: dict[str, list[frozenset[str]]] = {}
        for pair in network.met:
            for city in pair:
                if all(c in network.rows for c in pair):
                    self.met_pairs.setdefault(city, []).append(pair - {city})

    def applies(self, subject: Profile) -> bool:
        return subject.city is not None

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        out = np.ones((len(subjects), len(self.network)))
        rows = self.network.rows
        for i, subject in enumerate(subjects):
            met = self.met.get(subject.city or "", {})
            if met:
                out[i, list(met)] = [INTRODUCED_ONCE if n == 1 else 0.0 for n in met.values()]
            partners = [rows[p] for p in subject.partners if p in rows]
            partners += [
                rows[other] for pair in self.met_pairs.get(subject.city or "", ()) for other in pair
            ]
            out[i, partners] = 0.0
        return out

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        return "introduced in an earlier round or already partners" if score < 1 else ""
