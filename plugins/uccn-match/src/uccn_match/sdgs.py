"""Shared Sustainable Development Goals: the more two cities work on the same goals, the higher."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from uccn_sdk import Network, Profile, listing, say


def _mask(goals: frozenset[int]) -> int:
    return sum(1 << goal for goal in goals)


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.masks = np.array([_mask(p.sdgs) for p in network.profiles], dtype=np.uint32)
        self.sizes = np.bitwise_count(self.masks).astype(np.float64)

    def applies(self, subject: Profile) -> bool:
        return bool(subject.sdgs)

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        mine = np.array([_mask(s.sdgs) for s in subjects], dtype=np.uint32)[:, None]
        shared = np.bitwise_count(self.masks[None, :] & mine).astype(np.float64)
        sizes = np.bitwise_count(mine).astype(np.float64) + self.sizes[None, :]
        # Dice: twice the shared goals over both counts, so one goal in common of one each is 1.
        scores: NDArray[np.float64] = np.divide(
            2 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0
        )
        return scores

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        shared = sorted(subject.sdgs & self.network.profiles[candidate].sdgs)
        if not shared:
            return ""
        return say("shared SDG {goals}", goals=listing([str(goal) for goal in shared]))
