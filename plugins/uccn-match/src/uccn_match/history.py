"""History: cities that already work together or met, or were introduced before, score lower."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from uccn_sdk import Network, Profile

INTRODUCED_ONCE = 0.3
"""The score of a pair introduced in one earlier round; twice or more, 0."""


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.introduced: dict[str, dict[int, int]] = {}
        for pair, count in network.paired.items():
            if len(pair) != 2:
                continue
            a, b = tuple(pair)
            if a in network.rows and b in network.rows:
                self.introduced.setdefault(a, {})[network.rows[b]] = count
                self.introduced.setdefault(b, {})[network.rows[a]] = count

        self.met_with: dict[str, set[str]] = {}
        for pair in network.met:
            if len(pair) == 2 and pair <= network.rows.keys():
                a, b = tuple(pair)
                self.met_with.setdefault(a, set()).add(b)
                self.met_with.setdefault(b, set()).add(a)

    def applies(self, subject: Profile) -> bool:
        return subject.city is not None

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        out = np.ones((len(subjects), len(self.network)))
        rows = self.network.rows
        for i, subject in enumerate(subjects):
            met = self.introduced.get(subject.city or "", {})
            if met:
                out[i, list(met)] = [INTRODUCED_ONCE if n == 1 else 0.0 for n in met.values()]
            known = subject.partners | self.met_with.get(subject.city or "", set())
            out[i, [rows[c] for c in known if c in rows]] = 0.0
        return out

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        # A history lowers a pair's score; it is never a reason to pair them, and "why" lists
        # reasons only. A round says itself when it had to repeat a pair.
        return ""
