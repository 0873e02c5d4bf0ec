"""The scorers, one plugin each; light to load: an index's module is imported when it is built.

Each entry point in pyproject.toml names one of the plugin objects below, so a single
scorer can be turned off with ``UCCN_PLUGINS_BLOCK=match-history``, or weighed with
``[matching.weights]`` in the configuration.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uccn_sdk import MatchScorer, Network, ScorerIndex


@dataclass
class Scorer:
    name: str
    weight: float
    module: str
    """The module in this package whose `Index` does the work."""

    def index(self, network: Network) -> ScorerIndex:
        index: ScorerIndex = importlib.import_module(f"uccn_match.{self.module}").Index(network)
        return index


@dataclass(frozen=True)
class ScorerPlugin:
    scorer: Scorer

    def uccn_register_match_scorers(self, register: Callable[[MatchScorer], None]) -> None:
        register(self.scorer)


field = ScorerPlugin(Scorer("field", 1.0, "field"))
"""Same creative field, or a complementary one from the configuration."""
sdgs = ScorerPlugin(Scorer("sdgs", 0.8, "sdgs"))
"""Shared Sustainable Development Goals."""
themes = ScorerPlugin(Scorer("themes", 1.2, "themes"))
"""Similar descriptions (character n-gram TF-IDF)."""
language = ScorerPlugin(Scorer("language", 0.5, "language"))
"""An official language in common."""
hours = ScorerPlugin(Scorer("hours", 0.5, "hours"))
"""Overlap of the working day."""
balance = ScorerPlugin(Scorer("balance", 0.3, "balance"))
"""UNESCO's priorities: Africa, Small Island Developing States, North-South."""
experience = ScorerPlugin(Scorer("experience", 0.4, "experience"))
"""A recently designated city with a seasoned one, for mentoring."""
history = ScorerPlugin(Scorer("history", 0.6, "history"))
"""Pairs already introduced, or already partners, score lower."""
embeddings = ScorerPlugin(Scorer("embeddings", 0.0, "embeddings"))
"""Closeness in meaning of the descriptions (sentence embeddings); off until given a weight."""
