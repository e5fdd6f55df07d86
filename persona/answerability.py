"""Whether the archive answers a question: a calibrated probability, not a vocabulary floor.

Search returns its best posts with their scores whatever the question; the avatar decides
from them whether the author has written about it. Three signals, each archive-independent
enough to carry over from the questions it was calibrated on to another blog:

- `sentence`: the best cosine between the question and any sentence of the top posts'
  passages (an answerable question usually has one sentence that says it);
- `dense`: the best chunk cosine among the posts found (not the top post's: which post
  the fusion puts first should not change whether anything answers);
- `unknown`: the share of the question's terms that no post contains and that are no
  everyday English word either (the missing topic of "Kubernetes from day one"; an everyday
  word a small blog never used counts for nothing), which the others weigh against (a
  "Yuval Noah Harari" whose surname matches well still answers).

(The best chunk's keyword coverage was tried as a fourth signal: on the dev questions it
earned a weight of about zero, with the wrong sign, so it is left out.)

A logistic model over them gives the probability; the threshold was chosen on our dev
questions for at most 2 % false declines, and a second, higher one above which at most 10 %
of the out-of-archive dev questions fall: between the two the avatar answers with what
comes closest and says it has not written about exactly this (see
`benchmarks/calibrate_decline.py`, which writes `answerability.toml` next to this file).
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
FEATURES = ("sentence", "dense", "unknown")
TOP_POSTS = 3          # posts whose passages the sentence signal reads
# A chunk this close to the question, with no unfamiliar word in it, answers without reading
# sentences (embedding ~70 of them is most of the decision's cost): 0.1 above the closest
# chunk of any out-of-archive dev question (0.54).
EARLY_ANSWER_DENSE = 0.65
MIN_SENTENCE = 20      # characters: shorter fragments ("Why?") match anything


@dataclass(frozen=True)
class Verdict:
    """The decision on one question, with the probability and the signals behind it."""

    answers: bool
    probability: float
    features: dict[str, float]
    confident: bool = True  # False: answers, but maybe not directly (the reply says so)


@dataclass(frozen=True)
class Answerability:
    """A logistic model over FEATURES and the probability below which the avatar declines."""

    weights: dict[str, float]
    bias: float
    threshold: float
    # At or above this the archive answers outright; between threshold and it, the avatar
    # says it has not written about exactly this and gives what comes closest.
    confident_at: float = 0.0

    def probability(self, features: dict[str, float]) -> float:
        """P(the archive answers) for one question's signals."""
        z = self.bias + sum(self.weights[name] * features[name] for name in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def judge(self, query: str, hits: Sequence[SearchHit], embedder: Embedder) -> Verdict:
        """Whether `hits` (search results without a floor) answer `query`."""
        features = search_signals(hits)
        if features["dense"] >= EARLY_ANSWER_DENSE and not features["unknown"]:
            return Verdict(True, 1.0, features)
        features["sentence"] = sentence_signal(query, hits, embedder)
        p = self.probability(features)
        return Verdict(p >= self.threshold, p, features, p >= self.confident_at)


def signals(query: str, hits: Sequence[SearchHit], embedder: Embedder) -> dict[str, float]:
    """The signals of one question against its search results."""
    return {**search_signals(hits), "sentence": sentence_signal(query, hits, embedder)}


def search_signals(hits: Sequence[SearchHit]) -> dict[str, float]:
    """The signals the search already scored: best chunk cosine, unfamiliar-word share."""
    if not hits:
        return {"dense": 0.0, "unknown": 1.0}
    return {"dense": max(float(h.dense) for h in hits),
            "unknown": float(hits[0].unknown_share)}


def sentence_signal(query: str, hits: Sequence[SearchHit], embedder: Embedder) -> float:
    """The best cosine between the query and a sentence of the top posts' passages."""
    sentences = [s for h in hits[:TOP_POSTS] for p in h.passages
                 for s in split_sentences(p.text) if len(s) >= MIN_SENTENCE]
    if not sentences:
        return 0.0
    vectors = embedder.embed([query, *sentences])
    return float(np.max(vectors[1:] @ vectors[0]))


@cache
def load_answerability(path: Path = CALIBRATION) -> Answerability:
    """The calibrated model shipped with the persona code."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    weights = {name: float(data["weights"][name]) for name in FEATURES}
    return Answerability(weights, float(data["bias"]), float(data["threshold"]),
                         float(data.get("confident", 0.0)))
