"""UNESCO's priorities: cities in Africa and Small Island Developing States, North-South pairs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from uccn_sdk import Network, Profile, say

# The UN's list of Small Island Developing States (UN-OHRLLS): 39 member states and the
# associate members, as ISO 3166-1 codes. Written out here: no maintained package ships it.
# fmt: off
SIDS = frozenset({
    "AG", "BS", "BH", "BB", "BZ", "CV", "KM", "CU", "DM", "DO", "FJ", "GD", "GW", "GY",
    "HT", "JM", "KI", "MV", "MH", "FM", "MU", "NR", "PW", "PG", "WS", "ST", "SC", "SG",
    "SB", "KN", "LC", "VC", "SR", "TL", "TO", "TT", "TV", "VU", "AI", "AS", "AW", "BM",
    "VG", "KY", "CK", "CW", "PF", "GP", "GU", "MQ", "MS", "NC", "NU", "MP", "PR", "SX",
    "TC", "VI",
})
# fmt: on
NORTH_COUNTRIES = frozenset({"AU", "NZ", "JP", "KR"})
"""Countries counted with the North although outside UNESCO's Europe and North America."""
NORTH_REGION = "europe-north-america"
AFRICA = "africa"

PRIORITY = 1.0
NORTH_SOUTH = 0.7


def is_north(profile: Profile) -> bool | None:
    if profile.region is None and profile.country is None:
        return None
    return profile.region == NORTH_REGION or profile.country in NORTH_COUNTRIES


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        profiles = network.profiles
        self.africa = np.array([p.region == AFRICA for p in profiles], dtype=bool)
        self.sids = np.array([p.country in SIDS for p in profiles], dtype=bool)
        self.north = np.array([bool(is_north(p)) for p in profiles], dtype=bool)
        self.known = np.array([is_north(p) is not None for p in profiles], dtype=bool)
        self.priority = np.where(self.africa | self.sids, PRIORITY, 0.0)

    def applies(self, subject: Profile) -> bool:
        return is_north(subject) is not None

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        out = np.repeat(self.priority[None, :], len(subjects), axis=0)
        for i, subject in enumerate(subjects):
            north = bool(is_north(subject))
            across = self.known & (self.north != north)
            out[i] = np.maximum(out[i], np.where(across, NORTH_SOUTH, 0.0))
            if subject.region == AFRICA or subject.country in SIDS:
                out[i] = np.maximum(out[i], PRIORITY * self.known)
        return out

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        other = self.network.profiles[candidate]
        if other.region == AFRICA or subject.region == AFRICA:
            return say("a partnership with Africa, a UNESCO priority")
        if other.country in SIDS or subject.country in SIDS:
            return say("a partnership with a Small Island Developing State, a UNESCO priority")
        if is_north(subject) is not None and is_north(subject) != is_north(other):
            return say("a North–South partnership")
        return ""
