"""Calibrate the avatar's "nothing relevant" decision on our dev questions only.

usage: python -m benchmarks.calibrate_decline ESSAYS_DIR --data-dir DIR
       [--questions benchmarks/questions/pg_dev.json] [--write persona/answerability.toml]

Fits a class-balanced, lightly regularised logistic model over the signals of
`persona/answerability.py` (answerable dev questions against out-of-archive dev questions),
then picks the highest threshold that declines at most 2 % of the answerable dev questions
(the false-decline bar of DESIGN.md), and the probability above which at most 10 % of the
out-of-archive dev questions fall (answers below it say "the closest I have written"). Test
questions are never read here: report them with `benchmarks/retrieval.py`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from datetime import date
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.common import load_posts, require
from knowledge.archive import Archive
from persona.answerability import CALIBRATION, FEATURES, signals

FALSE_DECLINES = 0.02
# Below the dev-chosen threshold by this much log-odds: an archive indexed a little
# differently moves a borderline question's probability by about that (seen: one dev
# paraphrase question flipped between two indexes of the same essays). 0.5 cost 17 more
# points of out-of-archive answers on dev, 0.25 cost 3.
MARGIN = 0.25
# Out-of-archive questions answered outright, not as "the closest I have written": DESIGN.md's
# bar for out-of-archive answers.
OUTRIGHT_OUT_OF_ARCHIVE = 0.10
L2 = 0.001  # per unit of balanced weight; C=10-ish in scikit-learn's terms


def fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> tuple[np.ndarray, float]:
    """Weights and bias of a class-balanced L2 logistic regression (Newton's method)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    balance = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum()))
    penalty = L2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    theta = np.zeros(design.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ theta)))
        gradient = design.T @ (balance * (p - y)) + penalty @ theta
        hessian = (design * (balance * p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def threshold_for(probabilities: np.ndarray, allowed_share: float, margin: float = 0.0) -> float:
    """The highest threshold declining at most `allowed_share` of these (answerable) ones,
    lowered by `margin` log-odds."""
    ranked = np.sort(probabilities)
    allowed = math.floor(allowed_share * len(ranked))
    # Just under the (allowed+1)-th lowest: that one and all above it still answer.
    p = min(max(float(ranked[allowed]), 1e-9), 1 - 1e-9)
    return float(1.0 / (1.0 + math.exp(-(math.log(p / (1 - p)) - margin)))) - 1e-6


def confident_for(out_of_archive: np.ndarray, allowed_share: float, floor: float) -> float:
    """The lowest probability above which at most `allowed_share` of these (out-of-archive)
    questions fall: answers from there on need no "the closest I have written" (never
    below the decline threshold `floor`)."""
    ranked = np.sort(out_of_archive)[::-1]
    allowed = math.floor(allowed_share * len(ranked))
    if allowed >= len(ranked):
        return floor
    return max(floor, float(ranked[allowed]) + 1e-6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("essays", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path,
                        default=Path(__file__).parent / "questions" / "pg_dev.json")
    parser.add_argument("--write", type=Path, help=f"write the calibration (e.g. {CALIBRATION})")
    args = parser.parse_args()
    questions = json.loads(require(args.questions, "dev questions").read_text())
    if any(q.get("split") == "test" for q in questions):
        raise SystemExit("calibrate on dev questions only")
    archive = Archive.open(args.data_dir)
    if archive.count_posts() == 0:
        archive.ingest(load_posts(require(args.essays, "essays")))
    rows, labels = [], []
    for q in questions:
        hits = archive.search(q["question"], 5, floor=False)
        features = signals(q["question"], hits, archive.embedder)
        rows.append([features[name] for name in FEATURES])
        labels.append(1.0 if q["answerable"] else 0.0)
    x, y = np.array(rows), np.array(labels)
    w, b = fit_logistic(x, y)
    p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    threshold = threshold_for(p[y == 1], FALSE_DECLINES, MARGIN)
    confident = confident_for(p[y == 0], OUTRIGHT_OUT_OF_ARCHIVE, threshold)
    declined = float(np.mean(p[y == 1] < threshold))
    answered = float(np.mean(p[y == 0] >= threshold))
    outright = float(np.mean(p[y == 0] >= confident))
    hedged = float(np.mean((p[y == 1] >= threshold) & (p[y == 1] < confident)))
    print(f"dev: {int(y.sum())} answerable, {int((1 - y).sum())} out-of-archive")
    print("weights: " + ", ".join(f"{n} {v:+.3f}" for n, v in zip(FEATURES, w, strict=True))
          + f", bias {b:+.3f}; threshold {threshold:.4f}, confident from {confident:.4f}")
    print(f"dev false declines {declined:.1%}, out-of-archive answered {answered:.1%} "
          f"(outright {outright:.1%}); answerable answered as 'the closest' {hedged:.1%}")
    if args.write:
        lines = [f"# Written by benchmarks/calibrate_decline.py on {date.today()} from "
                 f"{args.questions.name}:",
                 f"# {int(y.sum())} answerable, {int((1 - y).sum())} out-of-archive; dev false "
                 f"declines {declined:.1%}, out-of-archive answered {answered:.1%} (outright "
                 f"{outright:.1%}); answerable answered as 'the closest' {hedged:.1%}.",
                 f"bias = {b:.6f}", f"threshold = {threshold:.6f}",
                 f"confident = {confident:.6f}", "", "[weights]"]
        lines += [f"{n} = {v:.6f}" for n, v in zip(FEATURES, w, strict=True)]
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
