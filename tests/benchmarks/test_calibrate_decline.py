"""The decline calibration's fit and threshold (the dev-only script behind answerability.toml)."""

from __future__ import annotations

import numpy as np

from benchmarks.calibrate_decline import fit_logistic, threshold_for
from persona.answerability import FEATURES, Answerability


def test_fit_separates_and_the_threshold_keeps_the_allowed_declines() -> None:
    rng = np.random.default_rng(3)
    good = rng.normal(0.7, 0.1, (50, len(FEATURES)))
    bad = rng.normal(0.3, 0.1, (30, len(FEATURES)))
    x = np.vstack([good, bad])
    y = np.array([1.0] * 50 + [0.0] * 30)
    w, b = fit_logistic(x, y)
    model = Answerability(dict(zip(FEATURES, w.tolist(), strict=True)), b, 0.5)
    p_good = np.array([model.probability(dict(zip(FEATURES, r, strict=True))) for r in good])
    p_bad = np.array([model.probability(dict(zip(FEATURES, r, strict=True))) for r in bad])
    assert p_good.mean() > 0.8 and p_bad.mean() < 0.2
    threshold = threshold_for(p_good, 0.02)
    assert np.sum(p_good < threshold) <= 1  # 2 % of 50
    assert np.sum(p_good < threshold_for(p_good, 0.0)) == 0
