"""Same creative field, or a field the configuration names as a complement."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from uccn_sdk import Network, Profile, say

COMPLEMENT = 0.6
"""The score of a complementary field, against 1 for the same field."""
EARLIER = 0.5
"""The score of a field the subject was designated in before its current one."""


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.fields = np.array([p.fields[0] for p in network.profiles], dtype=str)
        self.complements = network.settings.complements

    def applies(self, subject: Profile) -> bool:
        return bool(subject.fields)

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        out = np.zeros((len(subjects), len(self.fields)))
        for i, subject in enumerate(subjects):
            complements = {c for f in subject.fields for c in self.complements.get(f, [])}
            complements |= {
                f for f, cs in self.complements.items() if set(cs) & set(subject.fields)
            }
            if complements:
                out[i, np.isin(self.fields, list(complements))] = COMPLEMENT
            if len(subject.fields) > 1:
                out[i, np.isin(self.fields, list(subject.fields[1:]))] = EARLIER
            out[i, self.fields == subject.fields[0]] = 1.0
        return out

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        theirs = self.network.profiles[candidate].fields[0]
        name = self.network.field_name(theirs)
        if theirs == subject.fields[0]:
            return say("both {field}", field=name)
        if theirs in subject.fields:
            return say(
                "{field}, a field {city} was designated in before", field=name, city=subject.label
            )
        ours = self.network.field_name(subject.fields[0])
        return say("{field} and {other} work well together", field=ours, other=name)
