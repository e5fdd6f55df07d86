"""Whether the archive answers a question: a calibrated probability, not a vocabulary floor.

Search returns its best posts with their scores whatever the question; the avatar decides
from them whether the author has written about it. Four signals, each archive-independent
enough to carry over from the questions it was calibrated on to another blog:

- `sentence`: the best cosine between the question and any sentence of the top posts'
  passages (an answerable question usually has one sentence that says it);
- `dense`: the best chunk cosine of the top post;
- `keyword`: the best share of the question's idf weight one chunk holds;
- `unknown`: the share of the question's terms no post contains (the missing topic word of
  "Kubernetes from day one"), which the others weigh against (a "Yuval Noah Harari" whose
  surname matches well still answers).

A logistic model over them gives the probability; the threshold was chosen on our dev
questions for at most 2 % false declines (see `benchmarks/calibrate_decline.py`, which writes
`answerability.toml` next to this file).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from knowledge.embedding import Embedder
from knowledge.search import SearchHit
from knowledge.sentences import split_sentences

CALIBRATION = Path(__file__).with_name("answerability.toml")
FEATURES = ("sentence", "dense", "keyword", "unknown")
TOP_POSTS = 3          # posts whose passages the sentence signal reads
MIN_SENTENCE = 20      # characters: shorter fragments ("Why?") match anything


@dataclass(frozen=True)
class Verdict:
    """The decision on one question, with the probability and the signals behind it."""

    answers: bool
    probability: float
    features: dict[str, float]


@dataclass(frozen=True)
class Answerability:
    """A logistic model over FEATURES and the probability below which the avatar declines."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        """P(the archive answers) for one question's signals."""
        z = self.bias + sum(self.weights[name] * features[name] for name in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def judge(self, query: str, hits: Sequence[SearchHit], embedder: Embedder) -> Verdict:
        """Whether `hits` (search results without a floor) answer `query`."""
        features = signals(query, hits, embedder)
        p = self.probability(features)
        return Verdict(p >= self.threshold, p, features)


def signals(query: str, hits: Sequence[SearchHit], embedder: Embedder) -> dict[str, float]:
    """The four signals of one question against its search results."""
    if not hits:
        return {"sentence": 0.0, "dense": 0.0, "keyword": 0.0, "unknown": 1.0}
    sentences = [s for h in hits[:TOP_POSTS] for p in h.passages
                 for s in split_sentences(p.text) if len(s) >= MIN_SENTENCE]
    best = 0.0
    if sentences:
        vectors = embedder.embed([query, *sentences])
        best = float(np.max(vectors[1:] @ vectors[0]))
    return {"sentence": best, "dense": float(hits[0].dense),
            "keyword": max(float(h.keyword) for h in hits),
            "unknown": float(hits[0].unknown_share)}


@cache
def load_answerability(path: Path = CALIBRATION) -> Answerability:
    """The calibrated model shipped with the persona code."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    weights = {name: float(data["weights"][name]) for name in FEATURES}
    return Answerability(weights, float(data["bias"]), float(data["threshold"]))
