"""Thematic similarity of what cities write about themselves and their projects.

Character n-gram TF-IDF: it works offline, needs no model download, and copes with the
network's many languages and spellings (gastronomy, gastronomie, gastronomía). Beyond
`DENSE_ABOVE` cities the vectors are reduced to `DIMENSIONS` with a truncated SVD (latent
semantic analysis), so 100,000 cities fit in memory and score in milliseconds.
The words shown in explanations come from a word-level TF-IDF over the same texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from uccn_match.tfidf import Tfidf, truncated_svd, unit_dense
from uccn_sdk import Network, Profile, listing, say

DENSE_ABOVE = 2_000
"""Up to this many cities, every pair's similarity is computed once (a 2,000² array is
16 MB); above, vectors are reduced to DIMENSIONS dense ones and compared on demand."""
DIMENSIONS = 256
FIT_SAMPLE = 5_000
"""The vocabulary is learnt from at most this many texts; the rest are only transformed."""
CHUNK = 2_000
MIN_TERM = 4
"""Explanations name words of at least this many letters."""
STEM = 6
"""Words sharing this many first letters count as one in an explanation."""
TOPICAL = 0.25
"""Explanations name words whose texts lean at least this much towards one field (see
`Index.topicality`): 'food' and 'literary' do, 'especially' and 'citizens' do not."""
PRIOR = 5
"""Texts spread as the fields are, added to every word's: a word three texts use proves little."""


def characters() -> Tfidf:
    return Tfidf("char_wb", ngrams=(3, 5), max_features=300_000)


def words(documents: int) -> Tfidf:
    return Tfidf(
        "word",
        token_pattern=rf"(?u)\b[^\W\d_]{{{MIN_TERM},}}\b",
        min_df=2 if documents >= 20 else 1,
        max_df=0.25 if documents >= 20 else 1.0,
    )


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        texts = [p.text for p in network.profiles]
        written = [t for t in texts if t.strip()]
        self.chars = characters()
        self.words = words(len(written))
        self.components: NDArray[np.float32] | None = None
        """The SVD's directions, above DENSE_ABOVE cities."""
        self.vectors: Any = None
        self.pairs: NDArray[np.float32] | None = None
        self._terms: NDArray[np.str_] | None = None
        self._word_rows: Any = None
        self._topicality: NDArray[np.float64] | None = None
        if not written:
            return
        if len(texts) <= DENSE_ABOVE:
            # Small enough to learn from every text and compare every pair once.
            self.vectors = self.chars.fit_transform(texts)
            self.pairs = (self.vectors @ self.vectors.T).toarray().astype(np.float32)
            self._word_rows = self.words.fit_transform(texts)
            self._topicality = self.topicality(self._word_rows)
            return
        rng = np.random.default_rng(0)
        sample = (
            [written[i] for i in rng.choice(len(written), FIT_SAMPLE, replace=False)]
            if len(written) > FIT_SAMPLE
            else written
        )
        fitted = self.chars.fit_transform(sample)
        self.words.fit(sample)
        self.components = truncated_svd(fitted, DIMENSIONS)
        self.vectors = np.vstack(
            [self._vectors(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
        )

    def _vectors(self, texts: Sequence[str]) -> Any:
        vectors = self.chars.transform(texts)
        if self.components is not None:
            return unit_dense(np.asarray(vectors @ self.components.T, dtype=np.float32))
        return vectors  # rows are L2-normalised already

    def applies(self, subject: Profile) -> bool:
        return bool(subject.text.strip()) and self.vectors is not None

    def similarity(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        """Cosine similarity of each subject's text with every city's."""
        rows = [s.row for s in subjects if s.row is not None]
        if self.pairs is not None and len(rows) == len(subjects):
            return self.pairs[rows].astype(np.float64)
        if len(rows) == len(subjects):
            mine = self.vectors[rows]
        else:
            mine = self._vectors([s.text for s in subjects])
        similarity = mine @ self.vectors.T
        if sparse.issparse(similarity):
            similarity = similarity.toarray()
        return np.asarray(similarity, dtype=np.float64).reshape(len(subjects), -1)

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        """Similarity scaled so that each subject's most similar city scores 1.

        Raw similarities of whole descriptions sit between 0.1 and 0.5; scaled, they
        weigh as much as the other scorers' answers.
        """
        similarity = np.clip(self.similarity(subjects), 0.0, 1.0)
        for i, subject in enumerate(subjects):
            if subject.row is not None:
                similarity[i, subject.row] = 0.0  # a city is not its own best match
        best = similarity.max(axis=1, keepdims=True)
        scaled: NDArray[np.float64] = np.divide(
            similarity, best, out=np.zeros_like(similarity), where=best > 0
        )
        return scaled

    def topicality(self, rows: Any) -> NDArray[np.float64]:
        """How far the texts using each word lean towards one creative field, from 0 (spread
        as all texts are) to 1 (all in one field): for the word's likeliest field, the share of
        its texts there above that field's share of all texts, over the most it could be.
        PRIOR texts spread as the fields are join every word's, so a rare word proves less.

        On the UNESCO profile texts, words any field uses ('especially', 'citizens') score
        about 0.1; a field's own vocabulary ('food', 'literary', 'jazz') 0.7 to 0.9.
        """
        fields = sorted({p.fields[0] for p in self.network.profiles})
        if len(fields) < 2:
            return np.ones(rows.shape[1])  # one field: no word can lean towards it
        column = {f: i for i, f in enumerate(fields)}
        members = sparse.csr_matrix(
            (
                np.ones(len(self.network), dtype=np.float32),
                ([column[p.fields[0]] for p in self.network.profiles], range(len(self.network))),
            ),
            shape=(len(fields), len(self.network)),
        )
        used = np.asarray((members @ (rows > 0).astype(np.float32)).todense())  # fields by words
        base = (np.asarray(members.sum(axis=1)).ravel() / len(self.network))[:, None]
        share = (used + PRIOR * base) / (used.sum(axis=0) + PRIOR)[None, :]
        lean: NDArray[np.float64] = ((share - base) / (1 - base)).max(axis=0)
        return lean

    def _words_of(self, text: str, row: int | None) -> tuple[NDArray[Any], NDArray[Any]]:
        """The word columns of a text and their weights, columns sorted."""
        if row is not None and self._word_rows is not None:
            rows = self._word_rows
            start, end = rows.indptr[row], rows.indptr[row + 1]
            return rows.indices[start:end], rows.data[start:end]
        vector = self.words.transform([text])
        return vector.indices, vector.data

    def shared_terms(self, subject: Profile, candidate: int, limit: int = 3) -> list[str]:
        """The words that weigh most in both texts, a field's own vocabulary first."""
        other = self.network.profiles[candidate]
        mine, my_weights = self._words_of(subject.text, subject.row)
        theirs, their_weights = self._words_of(other.text, candidate)
        shared, at_mine, at_theirs = np.intersect1d(
            mine, theirs, assume_unique=True, return_indices=True
        )
        if not shared.size:
            return []
        if self._terms is None:
            self._terms = self.words.terms()
        weights = my_weights[at_mine] * their_weights[at_theirs]
        if self._topicality is not None:  # the field's own words first; words any text uses out
            lean = self._topicality[shared]
            weights = np.where(lean >= TOPICAL, weights * lean**2, 0.0)
        chosen: list[str] = []
        for i in np.argsort(-weights):
            if weights[i] <= 0:
                break
            term = str(self._terms[shared[i]])
            if any(term[:STEM] == said[:STEM] for said in chosen):
                continue  # 'literary' after 'literature' says nothing new
            chosen.append(term)
            if len(chosen) == limit:
                break
        return chosen

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        terms = self.shared_terms(subject, candidate)
        if not terms:
            return say("similar descriptions") if score >= 0.5 else ""
        return say("descriptions both about {terms}", terms=listing(terms))
