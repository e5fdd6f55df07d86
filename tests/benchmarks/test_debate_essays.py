"""The essay-motion set is well formed, and a debate's stances are tallied against it."""

from __future__ import annotations

import json
from collections import Counter

from benchmarks.debate_essays import MOTIONS, tally


def test_the_motions_are_one_per_essay_with_balanced_halves() -> None:
    motions = json.loads(MOTIONS.read_text())
    assert len({m["essay"] for m in motions}) == len(motions) == len({m["id"] for m in motions})
    assert Counter(m["split"] for m in motions) == {"dev": 22, "test": 22}
    for split in ("dev", "test"):
        sides = Counter(m["side"] for m in motions if m["split"] == split)
        assert sides == {"for": 11, "against": 11}


def test_stances_are_tallied_right_wrong_and_unclear() -> None:
    motions = [{"side": "for"}, {"side": "against"}, {"side": "for"}, {"side": "against"}]
    assert tally(motions, ["for", "for", "unclear", "against"]) == (2, 1, 1)
