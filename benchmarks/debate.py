"""Debate benchmark: does the avatar take the author's real side on motions nobody tuned for?

    .venv/bin/python -m benchmarks.debate --data ../shared/data [--limit N] [--seed 7] [--k 10]
        [--json]

Perspectrum, per claim: one side's perspectives (chosen at random, seeded, so the "author"
is for or against) become posts of a real archive (knowledge.archive.Archive, packaged
MiniLM, one archive per claim in a temporary folder); the claim is searched as a motion and
the retrieved sentences and titles are judged. Each method's verdict is compared with the
side indexed: the stance model (persona.stance_model), the old cue phrases
(persona.stance.stance_on) and an untrained baseline (MiniLM similarity to the claim minus
similarity to its negation). Test is the reported split; dev is where the stance model was
calibrated, shown for reference. Target on test: right >= 0.65 with wrong <= 0.15.
The sample-blog motions and the multi-round check through the avatar follow
(benchmarks/debate_avatar.py), then motions over the shared essays, split dev/test
(benchmarks/debate_essays.py); both also run alone. `--json` ends with a line of figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from benchmarks import debate_avatar, debate_essays
from benchmarks.common import figure, print_figures
from benchmarks.stance_data import Claim, load_perspectrum
from knowledge.archive import Archive
from knowledge.chunking import split_sentences
from knowledge.embedding import Embedder, load_embedder
from knowledge.post import Post
from persona.claim_negation import negate
from persona.stance import stance_on
from persona.stance_model import Calibration, aggregate, stance_model

Evidence = list[tuple[str, float]]
Method = Callable[[str, Evidence], str]


@dataclass
class Tally:
    """Right / wrong / unclear verdicts of one method on one split."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, verdict: str, side: int) -> None:
        """Count one verdict against the side the archive was built from."""
        if verdict == "unclear":
            self.counts["unclear"] += 1
        else:
            self.counts["right" if (verdict == "for") == (side > 0) else "wrong"] += 1

    def row(self) -> str:
        """'right wrong unclear' as shares of all claims."""
        n = max(sum(self.counts.values()), 1)
        return "  ".join(f"{self.counts[k] / n:5.2f}" for k in ("right", "wrong", "unclear"))


def evidence_for(archive: Archive, claim: str, embedder: Embedder, k: int,
                 floor: bool) -> Evidence:
    """The retrieved sentences and titles, each weighted by its cosine to the claim."""
    texts: list[str] = []
    for hit in archive.search(claim, k=k, floor=floor):
        for passage in hit.passages:
            for paragraph in passage.text.split("\n\n"):
                texts += split_sentences(paragraph)
        texts.append(hit.title)
    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    if not texts:
        return []
    vectors = embedder.embed([claim, *texts])
    return list(zip(texts, (vectors[1:] @ vectors[0]).tolist(), strict=True))


def untrained(embedder: Embedder) -> Method:
    """Zero-shot baseline: is each text closer to the claim or to its negation?"""

    def judge(claim: str, evidence: Evidence) -> str:
        if not evidence:
            return "unclear"
        vectors = embedder.embed([claim, negate(claim), *[t for t, _ in evidence]])
        scores = vectors[2:] @ vectors[0] - vectors[2:] @ vectors[1]
        relevance = np.array([w for _, w in evidence])
        return aggregate(scores, relevance, Calibration(margin=0.0, relevance_floor=0.0)).stance

    return judge


def methods(embedder: Embedder) -> dict[str, Method]:
    """The methods compared, by column name."""
    model = stance_model()
    unmargined = replace(model.calibration, margin=0.0)
    scored: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}

    def scores(claim: str, evidence: Evidence) -> np.ndarray:
        key = (claim, tuple(t for t, _ in evidence))
        if key not in scored:  # both stance-model rows share one inference
            scored[key] = model.pair_scores(claim, list(key[1]))
        return scored[key]

    def judge(cal: Calibration) -> Method:
        return lambda claim, ev: aggregate(scores(claim, ev), np.array([w for _, w in ev]),
                                           cal).stance if ev else "unclear"

    return {
        "stance model": judge(model.calibration),
        "  no margin": judge(unmargined),
        "cue phrases": stance_on,
        "untrained": untrained(embedder),
    }


def retrieve_split(claims: list[Claim], split: str, embedder: Embedder, seed: int, k: int,
                   limit: int | None, floor: bool) -> list[tuple[str, int, Evidence]]:
    """Index one side of each claim in its own archive and retrieve for the claim."""
    rng = random.Random(seed)
    chosen = [c for c in claims if c.split == split][:limit]
    root = Path(tempfile.mkdtemp(prefix=f"debate-{split}-"))
    started = time.monotonic()
    out = []
    try:
        for n, claim in enumerate(chosen, 1):
            side = rng.choice(sorted({s for _, s in claim.perspectives}))
            posts = [Post(id=f"claim{claim.id}-p{i}", title=text, text=text, source="perspectrum")
                     for i, text in enumerate(claim.side(side))]
            archive = Archive.open(root / str(claim.id), embedder=embedder)
            archive.ingest(posts)
            out.append((claim.text, side, evidence_for(archive, claim.text, embedder, k, floor)))
            if n % 25 == 0:
                print(f"  {split}: {n}/{len(chosen)} claims ({time.monotonic() - started:.0f} s)",
                      flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return out


def perspectrum_split(cases: list[tuple[str, int, Evidence]], judges: dict[str, Method]
                      ) -> dict[str, Tally]:
    """Every method's verdict on every claim, tallied against the side indexed."""
    tallies = {name: Tally() for name in judges}
    for claim, side, evidence in cases:
        for name, judge in judges.items():
            tallies[name].add(judge(claim, evidence), side)
    return tallies


def cached_cases(path: Path | None, make: Callable[[], list[tuple[str, int, Evidence]]]
                 ) -> list[tuple[str, int, Evidence]]:
    """Retrieved evidence from a JSON cache when given and present, else made (and saved)."""
    if path and path.exists():
        return [(c, s, [(t, w) for t, w in ev]) for c, s, ev in json.loads(path.read_text())]
    cases = make()
    if path:
        path.write_text(json.dumps(cases))
    return cases


def print_table(results: dict[str, dict[str, Tally]]) -> None:
    """One row per split and method: right, wrong, unclear (shares of claims)."""
    print(f"\n{'split':18} {'method':14} {'right':>5}  {'wrong':>5}  {'unclear':>7}   n")
    for split, tallies in results.items():
        for name, tally in tallies.items():
            print(f"{split:18} {name:14} {tally.row()}   {sum(tally.counts.values())}")
    print("target (test): right >= 0.65, wrong <= 0.15")


def figures(results: dict[str, dict[str, Tally]]) -> list[dict[str, object]]:
    """Right and wrong shares per split and method."""
    out = []
    for split, tallies in results.items():
        for name, tally in tallies.items():
            n = sum(tally.counts.values())
            for verdict in ("right", "wrong"):
                out.append(figure(f"{split} {name.strip()} {verdict}",
                                  tally.counts[verdict] / max(n, 1), unit="share",
                                  note=f"{n} claims"))
    return out


def main() -> None:
    """Run every section and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--k", type=int, default=10, help="posts retrieved per motion")
    parser.add_argument("--limit", type=int, help="claims per split (quick runs)")
    parser.add_argument("--splits", default="test,dev")
    parser.add_argument("--search-floor", action="store_true",
                        help="keep the archive's relevance floor (a perspective often shares "
                             "few words with its claim, so the archive then falls silent)")
    parser.add_argument("--evidence-cache", type=Path,
                        help="folder keeping each split's retrieved evidence, so methods can be "
                             "re-judged without re-indexing (delete it when retrieval changes)")
    parser.add_argument("--essays-index", type=Path,
                        help="an index of the essays to reuse for the essay motions")
    parser.add_argument("--json", action="store_true", help="end with a line of JSON figures")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "debate-onnx",
                        help="where the int8 MiniLM export is kept between runs")
    args = parser.parse_args()
    claims = load_perspectrum(args.data)
    embedder = load_embedder("minilm-int8", args.cache)
    judges = methods(embedder)
    results: dict[str, dict[str, Tally]] = {}
    if args.evidence_cache:
        args.evidence_cache.mkdir(parents=True, exist_ok=True)
    for split in args.splits.split(","):
        name = f"{split}-seed{args.seed}-k{args.k}-limit{args.limit}-floor{args.search_floor}"
        cases = cached_cases(
            args.evidence_cache / f"{name}.json" if args.evidence_cache else None,
            partial(retrieve_split, claims, split, embedder, args.seed, args.k, args.limit,
                    args.search_floor))
        results[f"perspectrum {split}"] = perspectrum_split(cases, judges)
    print_table(results)
    print()
    found = figures(results) + debate_avatar.run(["cue", "trained"])
    print()
    found += debate_essays.run(args.data / "pg-essays", args.essays_index, ["cue", "trained"])
    if args.json:
        print_figures(found)


if __name__ == "__main__":
    main()
