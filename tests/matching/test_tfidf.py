"""The TF-IDF and SVD the thematic scorer is built on: the figures scikit-learn's documented
method gives, computed by hand here on texts small enough to check."""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from uccn_match.tfidf import Tfidf, char_wb, truncated_svd


def test_character_ngrams_stay_inside_words_and_a_short_word_counts_once() -> None:
    assert char_wb("Jazz  Oud", 3, 4) == [
        " ja",
        "jaz",
        "azz",
        "zz ",
        " jaz",
        "jazz",
        "azz ",
        " ou",
        "oud",
        "ud ",
        " oud",
        "oud ",
    ]
    assert char_wb("a", 3, 5) == [" a "]


def test_weights_are_sublinear_counts_times_smoothed_idf_in_unit_rows() -> None:
    texts = ["music music festival", "music heritage", "food heritage"]
    rows = Tfidf("word").fit_transform(texts).toarray()
    idf = {t: math.log(4 / (1 + df)) + 1 for t, df in
           {"festival": 1, "food": 1, "heritage": 2, "music": 2}.items()}  # fmt: skip
    first = np.array([idf["festival"], 0, 0, (1 + math.log(2)) * idf["music"]])
    np.testing.assert_allclose(rows[0], first / np.linalg.norm(first), rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1, rtol=1e-6)


def test_the_vocabulary_is_learnt_once_and_limited_as_asked() -> None:
    tfidf = Tfidf("word", min_df=2, max_df=0.7)
    tfidf.fit(["music heritage", "music food heritage", "film heritage food", "sea"])
    assert list(tfidf.terms()) == ["food", "music"]  # 'heritage' is in too many, the rest rare
    unseen = tfidf.transform(["nothing known here", "music"]).toarray()
    assert unseen[0].sum() == 0 and unseen[1].tolist() == [0, 1]
    capped = Tfidf("word", max_features=1).fit(["a b b", "bb cc cc cc"])
    assert list(capped.terms()) == ["cc"]  # the most frequent over all texts


def test_the_truncated_svd_finds_the_leading_directions() -> None:
    rng = np.random.default_rng(1)
    low_rank = rng.standard_normal((300, 5)) @ rng.standard_normal((5, 80))
    matrix = sparse.csr_matrix(low_rank.astype(np.float32))
    components = truncated_svd(matrix, 5)
    exact = np.linalg.svd(low_rank, full_matrices=False)[2][:5]
    # The same subspace: projecting the exact directions on the found ones keeps them whole.
    kept = np.linalg.norm(exact @ components.T @ components, axis=1)
    np.testing.assert_allclose(kept, 1, atol=1e-3)
    assert components.shape == (5, 80)
