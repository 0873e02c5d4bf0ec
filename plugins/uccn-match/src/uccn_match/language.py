"""A working language in common: the official languages of the two cities' countries."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from babel import Locale, UnknownLocaleError
from numpy.typing import NDArray

from uccn_sdk import Network, Profile, listing, say, spoken_locale


def language_name(code: str) -> str:
    """The language's name in the language being spoken: 'French', or 'français'."""
    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name(spoken_locale()))
    except (UnknownLocaleError, ValueError):
        return code


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.rows: dict[str, NDArray[np.bool_]] = {}
        for row, profile in enumerate(network.profiles):
            for language in profile.languages:
                self.rows.setdefault(language, np.zeros(len(network), dtype=bool))[row] = True

    def applies(self, subject: Profile) -> bool:
        return bool(subject.languages)

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        out = np.zeros((len(subjects), len(self.network)), dtype=bool)
        for i, subject in enumerate(subjects):
            for language in subject.languages:
                if language in self.rows:
                    out[i] |= self.rows[language]
        return out.astype(np.float64)

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        shared = sorted(subject.languages & self.network.profiles[candidate].languages)
        if not shared:
            return ""
        names = [language_name(code) for code in shared[:3]]
        return say("both work in {languages}", languages=listing(names))
