"""TF-IDF vectors of texts (character n-grams or words) and a truncated SVD, on numpy and
scipy.sparse.

The computation is scikit-learn's ``TfidfVectorizer`` (smoothed idf, sublinear term
frequency, rows normalised to unit length) and its randomized ``TruncatedSVD``, written out
here because importing scikit-learn costs the bot more than a second and about 60 MB (it
loads scipy.stats), paid when the index is built at start; these few operations need neither.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

_SPACES = re.compile(r"\s\s+")
Analyzer = Literal["char_wb", "word"]


def char_wb(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with one space each side."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


class Tfidf:
    """Fit on texts to learn the vocabulary and the idf; transform texts to unit rows."""

    def __init__(
        self,
        analyzer: Analyzer,
        *,
        ngrams: tuple[int, int] = (1, 1),
        token_pattern: str = r"(?u)\b\w\w+\b",
        min_df: int = 1,
        max_df: float = 1.0,
        max_features: int | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.ngrams = ngrams
        self.pattern = re.compile(token_pattern)
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.vocabulary: dict[str, int] = {}
        self.idf: NDArray[np.float32] = np.zeros(0, dtype=np.float32)

    def _features(self) -> Callable[[str], list[str]]:
        if self.analyzer == "word":
            return lambda text: self.pattern.findall(text.lower())
        low, high = self.ngrams
        return lambda text: char_wb(text, low, high)

    def _count(
        self, texts: Iterable[str], vocabulary: dict[str, int], *, grow: bool
    ) -> sparse.csr_matrix:
        """Term counts, one row per text; with `grow`, unseen terms join `vocabulary`."""
        features = self._features()
        indptr: list[int] = [0]
        indices: list[int] = []
        values: list[int] = []
        for text in texts:
            count = Counter(features(text))
            if grow:
                indices.extend([vocabulary.setdefault(term, len(vocabulary)) for term in count])
                values.extend(count.values())
            else:
                for term, n in count.items():
                    column = vocabulary.get(term)
                    if column is not None:
                        indices.append(column)
                        values.append(n)
            indptr.append(len(indices))
        counts = sparse.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(indptr) - 1, len(vocabulary)),
        )
        counts.sum_duplicates()
        return counts

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        counts.data = (1 + np.log(counts.data)) * self.idf[counts.indices]  # sublinear tf times idf
        return unit_rows(counts)

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learn the vocabulary and the idf from `texts`, and return their rows."""
        seen: dict[str, int] = {}
        counts = self._count(texts, seen, grow=True)
        df = np.bincount(counts.indices, minlength=len(seen))
        total = np.asarray(counts.sum(axis=0)).ravel()
        keep = (df >= self.min_df) & (df <= self.max_df * len(texts))
        columns = np.flatnonzero(keep)
        if self.max_features is not None and columns.size > self.max_features:
            # the most frequent over all texts, ties to the first seen
            columns = columns[np.argsort(-total[columns], kind="stable")[: self.max_features]]
        terms = np.array(list(seen), dtype=object)[columns]
        order = np.argsort(terms.astype(str), kind="stable")
        columns, terms = columns[order], terms[order]
        self.vocabulary = {str(term): new for new, term in enumerate(terms)}
        self.idf = (np.log((1 + len(texts)) / (1 + df[columns])) + 1).astype(np.float32)
        return self._weigh(counts[:, columns].tocsr())

    def fit(self, texts: Sequence[str]) -> Tfidf:
        self.fit_transform(texts)
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        return self._weigh(self._count(texts, self.vocabulary, grow=False))

    def terms(self) -> NDArray[np.str_]:
        """The vocabulary in column order."""
        return np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__), dtype=str)


def unit_rows(rows: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row divided by its length; empty rows stay empty."""
    lengths = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    lengths[lengths == 0] = 1
    scaled: sparse.csr_matrix = sparse.diags(1 / lengths).dot(rows).tocsr()
    scaled.sort_indices()  # explanations intersect rows' columns in order
    return scaled


def unit_dense(rows: NDArray[np.float32]) -> NDArray[np.float32]:
    """Each dense row divided by its length; zero rows stay zero."""
    lengths = np.linalg.norm(rows, axis=1, keepdims=True)
    lengths[lengths == 0] = 1
    scaled: NDArray[np.float32] = (rows / lengths).astype(np.float32)
    return scaled


def truncated_svd(
    matrix: sparse.csr_matrix, k: int, *, seed: int = 0, iterations: int = 5, oversample: int = 10
) -> NDArray[np.float32]:
    """The `k` leading right singular vectors of `matrix`, as rows (k by columns), by the
    randomized range finder of Halko, Martinsson and Tropp (what scikit-learn uses)."""
    k = min(k, *matrix.shape)
    rng = np.random.default_rng(seed)
    width = min(k + oversample, *matrix.shape)
    basis = matrix @ rng.standard_normal((matrix.shape[1], width)).astype(np.float32)
    for _ in range(iterations):  # power iterations, re-orthonormalised each time
        basis, _ = np.linalg.qr(basis)
        basis = matrix @ (matrix.T @ basis)
    basis, _ = np.linalg.qr(basis)
    small = np.asarray((matrix.T @ basis).T)  # width by columns
    _, _, right = np.linalg.svd(small, full_matrices=False)
    components: NDArray[np.float32] = right[:k].astype(np.float32)
    return components
