"""The engine: every scorer's index over one network, combined with weights, and filtered.

A scorer that raises, or answers NaN or a score outside [0, 1], is reported by name and
left out of that answer; the others still answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from uccn_sdk.contracts import MatchScorer, ScorerIndex
from uccn_sdk.errors import UccnError
from uccn_sdk.matching.network import Network
from uccn_sdk.matching.profile import Profile
from uccn_sdk.messages import N_, speaking
from uccn_sdk.models import Match, ScorePart
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import CountryCode, Slug

Scores = NDArray[np.float64]

MAX_K = 1_000
"""The most matches one question returns; more is asked for by mistake."""


class MatchError(UccnError):
    """A match that cannot be answered as asked: the message says why."""


class MatchFilters(Model):
    """Hard limits on the candidates (the subject itself and opted-out cities always go)."""

    other_fields: bool = False
    """Only cities of another field than the subject's."""
    other_regions: bool = False
    """Only cities of another UNESCO region than the subject's."""
    common_language: bool = False
    """Only cities sharing an official language with the subject."""
    countries: list[CountryCode] = []
    """Only cities of these countries."""
    fields: list[Slug] = []
    """Only cities of these fields."""


@dataclass(frozen=True)
class Problem:
    scorer: str
    message: str

    def __str__(self) -> str:
        return f"scorer {self.scorer!r} was left out: {self.message}"


@dataclass
class MatchResult:
    subject: Profile
    matches: list[Match]
    candidates: int
    """How many cities passed the filters."""
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Columns:
    """The facts filters look at, one array per fact over the network's cities."""

    open: NDArray[np.bool_]
    """Not opted out."""
    field: NDArray[np.str_]
    region: NDArray[np.str_]
    country: NDArray[np.str_]
    languages: dict[str, NDArray[np.bool_]]

    @classmethod
    def of(cls, network: Network) -> _Columns:
        profiles = network.profiles
        languages: dict[str, NDArray[np.bool_]] = {}
        for row, profile in enumerate(profiles):
            for language in profile.languages:
                languages.setdefault(language, np.zeros(len(profiles), dtype=bool))[row] = True
        return cls(
            open=np.array([p.city not in network.opted_out for p in profiles], dtype=bool),
            field=np.array([p.fields[0] for p in profiles], dtype=str),
            region=np.array([p.region or "" for p in profiles], dtype=str),
            country=np.array([p.country or "" for p in profiles], dtype=str),
            languages=languages,
        )


@dataclass
class _Scorer:
    name: str
    weight: float
    index: ScorerIndex


@dataclass
class _Scored:
    """One scorer's answer for a batch of subjects."""

    scorer: _Scorer
    scores: Scores
    applies: NDArray[np.bool_]


class Matcher:
    """The scorers' indexes over one network. Build it once; ask it many times."""

    def __init__(
        self,
        network: Network,
        scorers: Sequence[MatchScorer],
    ) -> None:
        self.network = network
        self.problems: list[Problem] = []
        self._scorers: list[_Scorer] = []
        weights = network.settings.weights
        unknown = sorted(set(weights) - {s.name for s in scorers})
        if unknown and not scorers:
            raise MatchError(
                N_(
                    "matching.weights names scorers that are not installed: {unknown}; no "
                    "scorer is installed"
                ),
                unknown=", ".join(unknown),
            )
        if unknown:
            raise MatchError(
                N_(
                    "matching.weights names scorers that are not installed: {unknown}; "
                    "installed: {installed}"
                ),
                unknown=", ".join(unknown),
                installed=", ".join(sorted(s.name for s in scorers)),
            )
        for scorer in scorers:
            weight = weights.get(scorer.name, scorer.weight)
            if not isinstance(weight, int | float) or not math.isfinite(weight) or weight < 0:
                self.problems.append(Problem(scorer.name, f"its weight {weight!r} is not valid"))
                continue
            if weight == 0:
                continue
            try:
                index = scorer.index(network)
            except Exception as error:  # a broken plugin must not take matching down
                self.problems.append(Problem(scorer.name, f"indexing failed: {_describe(error)}"))
                continue
            self._scorers.append(_Scorer(scorer.name, float(weight), index))
        if not self._scorers and self.problems:
            raise MatchError(
                N_(
                    "no scorer has a weight above zero ({problems}): set matching.weights in "
                    "the configuration, or install a scorer plugin"
                ),
                problems="; ".join(map(str, self.problems)),
            )
        if not self._scorers:
            raise MatchError(
                N_(
                    "no scorer has a weight above zero: set matching.weights in the "
                    "configuration, or install a scorer plugin"
                )
            )

    @property
    def scorers(self) -> list[str]:
        return [s.name for s in self._scorers]

    # -- scores --------------------------------------------------------------------------

    def _score(self, subjects: Sequence[Profile], problems: list[Problem]) -> list[_Scored]:
        n = len(self.network)
        answers = []
        for scorer in self._scorers:
            try:
                applies = np.array([bool(scorer.index.applies(s)) for s in subjects])
                if not applies.any():
                    continue
                scores = np.asarray(scorer.index.score(subjects), dtype=np.float64)
            except Exception as error:  # reported by name, the others still answer
                problems.append(Problem(scorer.name, _describe(error)))
                continue
            if scores.shape != (len(subjects), n):
                problems.append(
                    Problem(scorer.name, f"returned {scores.shape} scores for {(len(subjects), n)}")
                )
                continue
            if not np.isfinite(scores).all():
                problems.append(Problem(scorer.name, "returned scores that are not numbers (NaN)"))
                continue
            if scores.size and (scores.min() < -1e-9 or scores.max() > 1 + 1e-9):
                problems.append(Problem(scorer.name, "returned scores outside [0, 1]"))
                continue
            answers.append(_Scored(scorer, np.clip(scores, 0.0, 1.0), applies))
        return answers

    def combine(
        self, subjects: Sequence[Profile], problems: list[Problem] | None = None
    ) -> tuple[Scores, list[_Scored]]:
        """Weighted mean of the scorers that apply to each subject: shape (subjects, cities)."""
        problems = self.problems if problems is None else problems
        answers = self._score(subjects, problems)
        total = np.zeros((len(subjects), len(self.network)))
        weights = np.zeros(len(subjects))
        for answer in answers:
            w = answer.scorer.weight * answer.applies
            total += w[:, None] * answer.scores
            weights += w
        if not (weights > 0).all():
            missing = [s for s, w in zip(subjects, weights, strict=True) if w <= 0]
            if missing[0].party.kind == "text" and not problems:
                raise MatchError(
                    N_(
                        "no city has a description to compare a text with yet; the Secretariat "
                        "adds them with `uccn cities import` (a description column)"
                    )
                )
            if problems:
                raise MatchError(
                    N_("no scorer can compare “{subject}”: {problems}"),
                    subject=missing[0].label,
                    problems="; ".join(map(str, problems)),
                )
            raise MatchError(
                N_("no scorer can compare “{subject}”: give it a description, a field or goals"),
                subject=missing[0].label,
            )
        return total / weights[:, None], answers

    # -- one subject -----------------------------------------------------------------------

    def allowed(self, subject: Profile, filters: MatchFilters | None = None) -> NDArray[np.bool_]:
        """Which cities may be suggested to `subject`."""
        net = self.network
        keep = self._columns.open.copy()
        if subject.city in net.rows:
            keep[net.rows[subject.city]] = False
        if subject.party.kind == "project":  # its partners are found already
            keep[[net.rows[c] for c in subject.partners if c in net.rows]] = False
        if filters is None:
            return keep
        columns = self._columns
        if filters.other_fields and subject.fields:
            keep &= ~np.isin(columns.field, list(subject.fields))
        if filters.fields:
            keep &= np.isin(columns.field, filters.fields)
        if filters.other_regions and subject.region:
            keep &= columns.region != subject.region
        if filters.common_language:
            shared = [
                columns.languages[lang] for lang in subject.languages if lang in columns.languages
            ]
            keep &= np.logical_or.reduce(shared) if shared else False
        if filters.countries:
            keep &= np.isin(columns.country, filters.countries)
        return keep

    @cached_property
    def _columns(self) -> _Columns:
        return _Columns.of(self.network)

    def match(
        self,
        subject: Profile,
        k: int = 10,
        filters: MatchFilters | None = None,
        *,
        language: str = "en",
    ) -> MatchResult:
        """The `k` best cities for `subject`, best first, each with the parts of its score
        explained in `language` (the scorers' words through :func:`uccn_sdk.messages.say`)."""
        if k < 1:
            raise MatchError(N_("ask for at least one match (k was {k})"), k=k)
        problems = list(self.problems)
        total, answers = self.combine([subject], problems)
        scores = total[0]
        keep = self.allowed(subject, filters)
        candidates = int(keep.sum())
        k = min(k, MAX_K, candidates)
        if k == 0:
            return MatchResult(subject, [], 0, problems)
        masked = np.where(keep, scores, -np.inf)
        top = np.argpartition(-masked, k - 1)[:k]
        top = top[np.lexsort((top, -masked[top]))]
        with speaking(language):
            matches = [self._match(0, subject, int(row), total, answers, problems) for row in top]
        return MatchResult(subject, matches, candidates, problems)

    def pairs(
        self, subjects: Sequence[Profile], others: Sequence[int], *, language: str = "en"
    ) -> list[Match]:
        """Each subject matched with one city (a row), with the parts that explain it."""
        if not subjects:
            return []
        total, answers = self.combine(subjects, list(self.problems))
        with speaking(language):
            return [
                self._match(i, subject, row, total, answers, [])
                for i, (subject, row) in enumerate(zip(subjects, others, strict=True))
            ]

    def _match(
        self,
        i: int,
        subject: Profile,
        row: int,
        total: Scores,
        answers: list[_Scored],
        problems: list[Problem],
    ) -> Match:
        score = float(total[i, row])
        parts = []
        for answer in answers:
            if not answer.applies[i]:
                continue
            part_score = float(answer.scores[i, row])
            try:
                said = answer.scorer.index.explain(subject, row, part_score) if part_score else ""
            except Exception as error:
                problems.append(Problem(answer.scorer.name, f"explain: {_describe(error)}"))
                said = ""
            parts.append(
                ScorePart(
                    scorer=answer.scorer.name,
                    score=part_score,
                    weight=answer.scorer.weight,
                    explanation=str(said)[:500],
                )
            )
        return Match(
            subject=subject.party,
            other=self.network.profiles[row].party,
            score=min(1.0, max(0.0, score)),
            parts=parts,
        )


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
