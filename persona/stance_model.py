"""Where the author's writing stands on a motion, from a trained claim/text stance model.

The model (persona/stance_net.py, weights in persona/stance_weights/) scores each piece of
evidence against the motion; `judge` weighs the scores by relevance and abstains inside a
margin calibrated on Perspectrum's dev split (arguing the wrong side is the worst failure).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from persona.claim_negation import is_negated, negate

WEIGHTS_DIR = Path(__file__).parent / "stance_weights"
ADAPTER_FILE = "adapter.safetensors"
CALIBRATION_FILE = "calibration.json"
_BATCH = 32


@dataclass(frozen=True)
class Calibration:
    """How scores become a verdict; the numbers come from calibration.json (dev split)."""

    margin: float = 0.1  # |weighted mean score| below this is "unclear"
    relevance_floor: float = 0.3  # evidence less relevant than this does not vote
    item_threshold: float = 0.2  # one item supports / opposes when its score passes ±this
    symmetric: bool = True  # also score the negated claim and take the difference
    rank: int = 8
    alpha: float = 16.0
    layers: int = 3  # top encoder layers that carry adapters

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        """The fields this class knows; others (metrics, provenance) are ignored."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass(frozen=True)
class StanceVerdict:
    """The author's stance on a claim, its signed score, and which evidence items say what."""

    stance: str  # "for" | "against" | "unclear"
    score: float  # weighted mean pair score, in [-1, 1]; positive supports the claim
    support: list[int] = field(default_factory=list)  # evidence indices, strongest first
    oppose: list[int] = field(default_factory=list)


def aggregate(scores: np.ndarray, relevance: np.ndarray, cal: Calibration) -> StanceVerdict:
    """The verdict from per-item scores and relevance weights (no model needed: calibration)."""
    weights = np.clip(np.asarray(relevance, dtype=float), 0.0, 1.0)
    scores = np.asarray(scores, dtype=float)
    voting = weights >= max(cal.relevance_floor, 1e-9)
    if not voting.any():
        return StanceVerdict("unclear", 0.0)
    total = float((weights[voting] * scores[voting]).sum() / weights[voting].sum())
    strength = weights * scores
    support = [int(i) for i in np.argsort(-strength)
               if voting[i] and scores[i] >= cal.item_threshold]
    oppose = [int(i) for i in np.argsort(strength)
              if voting[i] and scores[i] <= -cal.item_threshold]
    stance = "for" if total >= cal.margin else "against" if total <= -cal.margin else "unclear"
    return StanceVerdict(stance, total, support, oppose)


class StanceModel:
    """The stance network with its trained weights and calibration, ready for inference."""

    def __init__(self, net: Any, calibration: Calibration) -> None:
        self.net = net.eval()
        self.calibration = calibration
        self._lock = threading.Lock()  # one forward pass at a time: torch threads are shared

    @classmethod
    def load(cls, weights_dir: Path = WEIGHTS_DIR) -> StanceModel:
        """Build the network on the packaged MiniLM and load the committed weights."""
        from safetensors.torch import load_file

        from persona.stance_net import StanceNet

        calibration = Calibration.from_json(
            json.loads((weights_dir / CALIBRATION_FILE).read_text()))
        net = StanceNet(rank=calibration.rank, alpha=calibration.alpha,
                        layers=calibration.layers)
        net.load_trained(load_file(str(weights_dir / ADAPTER_FILE)))
        return cls(net, calibration)

    def probabilities(self, claims: list[str], texts: list[str]) -> np.ndarray:
        """Softmax over (supports, undermines, unrelated) for each (claim, text) pair."""
        import torch

        out = []
        with self._lock, torch.inference_mode():
            # Length-sorted batches pad less: a long blog sentence does not slow the rest.
            order = sorted(range(len(texts)), key=lambda i: len(claims[i]) + len(texts[i]))
            for start in range(0, len(order), _BATCH):
                idx = order[start:start + _BATCH]
                batch = self.net.encode([claims[i] for i in idx], [texts[i] for i in idx])
                out.append((idx, torch.softmax(self.net(batch), dim=-1).numpy()))
        probs = np.zeros((len(texts), 3), dtype=np.float32)
        for idx, p in out:
            probs[idx] = p
        return probs

    def pair_scores(self, claim: str, texts: list[str]) -> np.ndarray:
        """Signed scores in [-1, 1]: positive when a text supports the claim, negative against."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        # A negated motion is scored as its positive form with the sign turned: the training
        # claims are mostly positive, and this makes "X should not …" the exact mirror of
        # "X should …", so a negation in the motion can never leave the stance unchanged.
        if is_negated(claim):
            return -self._positive_scores(negate(claim), texts)
        return self._positive_scores(claim, texts)

    def _positive_scores(self, claim: str, texts: list[str]) -> np.ndarray:
        n = len(texts)
        if not self.calibration.symmetric:
            p = self.probabilities([claim] * n, texts)
            return p[:, 0] - p[:, 1]
        # Scoring the negated claim too and taking half the difference cancels the pull a
        # topic has towards one label regardless of what the text says about it.
        p = self.probabilities([claim] * n + [negate(claim)] * n, texts + texts)
        return ((p[:n, 0] - p[:n, 1]) - (p[n:, 0] - p[n:, 1])) / 2

    def judge(self, claim: str, evidence: list[tuple[str, float]]) -> StanceVerdict:
        """The stance of the evidence (text, relevance 0..1) on the claim, with abstention."""
        if not evidence:
            return StanceVerdict("unclear", 0.0)
        scores = self.pair_scores(claim, [text for text, _ in evidence])
        return aggregate(scores, np.array([w for _, w in evidence]), self.calibration)


_MODEL: StanceModel | None = None
_LOAD_LOCK = threading.Lock()


def stance_model() -> StanceModel:
    """The shared model, loaded on first use (about a second) and kept."""
    global _MODEL
    with _LOAD_LOCK:
        if _MODEL is None:
            _MODEL = StanceModel.load()
        return _MODEL


def pair_scores(claim: str, texts: list[str]) -> np.ndarray:
    """Signed stance score of each text towards the claim (see StanceModel.pair_scores)."""
    return stance_model().pair_scores(claim, texts)


def judge(claim: str, evidence: list[tuple[str, float]]) -> StanceVerdict:
    """The author's stance on the claim from weighted evidence (see StanceModel.judge)."""
    return stance_model().judge(claim, evidence)
