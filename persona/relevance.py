"""How well each candidate sentence answers a query: meaning plus the query's rare words.

Meaning alone (MiniLM cosine) favours sentences *about* the subject; the sentence that holds
the asked fact usually also carries the question's specific words. So a sentence scores its
cosine with the query plus the share of the query's informative words it contains, each word
weighted by how rare it is among the candidates (a word every sentence shares tells nothing).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from knowledge.embedding import Embedder
from knowledge.tokens import tokenize
from persona.speech import Said

# Coverage of the query's words, against cosine in [-1, 1] (0.6 best of 0.15-1.0 on the
# dev questions), and a little trust in the search's order of posts.
LEXICAL_WEIGHT = 0.6
RANK_BONUS = 0.03
REDUNDANT = 0.86        # cosine above which two sentences say the same thing


class Scored:
    """Candidate sentences with their vectors and their relevance to one query."""

    def __init__(self, query: str, pool: Sequence[Said], embedder: Embedder,
                 vectors: np.ndarray | None = None) -> None:
        self.pool = list(pool)
        if not self.pool:
            self.vectors = np.zeros((0, 1), dtype=np.float32)
            self.relevance = np.zeros(0, dtype=np.float32)
            return
        if vectors is None:
            both = embedder.embed([query, *[s.text for s in self.pool]])
            self.query_vector, self.vectors = both[0], both[1:]
        else:  # the pool was embedded for another query: only the query is new
            self.query_vector, self.vectors = embedder.embed([query])[0], vectors
        dense = self.vectors @ self.query_vector
        lexical = coverage(query, [s.text for s in self.pool])
        ranks = np.array([RANK_BONUS / s.n for s in self.pool], dtype=np.float32)
        self.relevance = dense + LEXICAL_WEIGHT * lexical + ranks

    def for_query(self, query: str, embedder: Embedder) -> Scored:
        """The same candidates scored against another query, without embedding them again."""
        return Scored(query, self.pool, embedder, self.vectors if self.pool else None)

    def best(self, allowed: Sequence[bool] | None = None, avoid: Sequence[int] = (),
             k: int = 1, relevance: np.ndarray | None = None) -> list[int]:
        """Indices of the k best candidates, skipping near-duplicates of `avoid` and each other."""
        scores = (self.relevance if relevance is None else relevance).astype(np.float64)
        chosen: list[int] = []
        taken = list(avoid)
        for i in np.argsort(-scores, kind="stable"):
            if len(chosen) >= k:
                break
            if allowed is not None and not allowed[i]:
                continue
            if taken and float((self.vectors[taken] @ self.vectors[i]).max()) > REDUNDANT:
                continue
            chosen.append(int(i))
            taken.append(int(i))
        return chosen


def coverage(query: str, sentences: Sequence[str]) -> np.ndarray:
    """Share of the query's words (rarer ones weigh more) that each sentence contains."""
    words = set(tokenize(query))
    if not words or not sentences:
        return np.zeros(len(sentences), dtype=np.float32)
    bags = [set(tokenize(s)) for s in sentences]
    df = Counter(w for bag in bags for w in bag & words)
    n = len(bags)
    weight = {w: math.log(1 + (n + 1) / (df[w] + 0.5)) for w in words}
    total = sum(weight.values())
    return np.array([sum(weight[w] for w in bag & words) / total for bag in bags],
                    dtype=np.float32)
