"""Closeness in meaning of what cities write, by sentence embeddings: an optional scorer.

The model is WordLlama's ``l2_supercat`` (256 dimensions), whose weights and tokenizer ship
inside the ``wordllama`` wheel: nothing is downloaded, ever. Install it with
``pip install 'uccn-match[embeddings]'`` and turn the scorer on with a weight, for instance
``[matching.weights] embeddings = 1.0``; its proposed weight is 0, so installing the model
changes nothing until the configuration asks for it.

A text is embedded as the mean of its tokens' vectors (what WordLlama does), normalised;
two cities score the cosine of their vectors, negatives counted as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from uccn_sdk import Network, Profile, say

MODEL = "l2_supercat"
DIMENSIONS = 256
BATCH = 256
CLOSE = 0.5
"""From this score on, the explanation says the descriptions are close in meaning."""


class ModelMissing(RuntimeError):
    """The embeddings scorer is turned on but its model is not installed."""


@cache
def model() -> Any:
    """The embedding model, loaded once per process from the files in the wordllama wheel.

    ``WordLlama.load()`` is not used: it looks for the tokenizer in a folder the wheel does not
    have and then downloads it. The two files are read from the package itself instead.
    """
    try:
        from importlib.resources import files

        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError as error:
        raise ModelMissing(
            "the embeddings scorer needs its model: pip install 'uccn-match[embeddings]' "
            "(or set its weight to 0)"
        ) from error
    root = files("wordllama")
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / f"{MODEL}_tokenizer_config.json"))
    weights = root / "weights" / f"{MODEL}_{DIMENSIONS}.safetensors"
    with safe_open(str(weights), framework="np", device="cpu") as handle:
        embedding = handle.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, tokenizer)


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Unit vectors, one row per text; an empty text gets a row of zeros."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    rows = [i for i, text in enumerate(texts) if text.strip()]
    if rows:
        vectors = model().embed([texts[i] for i in rows], norm=True, batch_size=BATCH)
        out[rows] = np.asarray(vectors, dtype=np.float32)
    return out


class Index:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.vectors = embed([p.text for p in network.profiles])

    def applies(self, subject: Profile) -> bool:
        return bool(subject.text.strip())

    def score(self, subjects: Sequence[Profile]) -> NDArray[np.float64]:
        # A member city's vector is known already; a project's or a free text's is made now.
        rows = [s.row for s in subjects]
        mine = np.zeros((len(subjects), DIMENSIONS), dtype=np.float32)
        known = [(i, row) for i, row in enumerate(rows) if row is not None]
        if known:
            mine[[i for i, _ in known]] = self.vectors[[row for _, row in known]]
        new = [i for i, row in enumerate(rows) if row is None]
        if new:
            mine[new] = embed([subjects[i].text for i in new])
        scores: NDArray[np.float64] = np.clip(mine @ self.vectors.T, 0.0, 1.0).astype(np.float64)
        return scores

    def explain(self, subject: Profile, candidate: int, score: float) -> str:
        return say("descriptions close in meaning") if score >= CLOSE else ""
