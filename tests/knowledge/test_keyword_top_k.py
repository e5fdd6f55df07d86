"""The BM25 top-k selection gives exactly what a full stable sort would, ties included."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.keyword_index import _top_k


@pytest.mark.parametrize("seed", range(20))
def test_top_k_equals_a_stable_full_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(50):
        n, k = int(rng.integers(0, 500)), int(rng.integers(0, 80))
        # Half the cases draw from a few values, so ties straddle the cut at k.
        values = (rng.choice(np.array([0.5, 1.0, 1.5, 2.0, 3.25], dtype=np.float32), n) if seed % 2
                  else rng.random(n).astype(np.float32))
        expected = np.argsort(-values, kind="stable")[:k]
        assert np.array_equal(_top_k(values, k), expected)
