"""Embedder wrappers for tests: the real model's vectors, remembered or counted."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.embedding import Embedder


class MemoEmbedder:
    """The real embedder, remembering each text's vector so re-embedding costs nothing."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of the real model, computed once per distinct text."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if todo:
            for text, vector in zip(todo, self.inner.embed(todo), strict=True):
                self._memo[text] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts]).astype(np.float32)


class CountingEmbedder:
    """Delegates to another embedder and counts the calls and texts it receives."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.calls = 0
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Count, then delegate."""
        self.calls += 1
        self.texts.extend(texts)
        return self.inner.embed(texts)

    def reset(self) -> None:
        """Forget the counts."""
        self.calls = 0
        self.texts = []


class FailingEmbedder:
    """The real embedder until its `fail_on`-th call, which raises (an encoder gone wrong)."""

    def __init__(self, inner: Embedder, fail_on: int) -> None:
        self.inner, self.fail_on, self.calls = inner, fail_on, 0
        self.name, self.dimension = inner.name, inner.dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors, or RuntimeError on the chosen call."""
        self.calls += 1
        if self.calls == self.fail_on:
            raise RuntimeError("encoder down")
        return self.inner.embed(texts)
