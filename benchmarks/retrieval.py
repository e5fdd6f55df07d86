"""Post-level retrieval of the avatar's search beside plain BM25 and the LangChain tutorial.

usage: python benchmarks/retrieval.py [--essays DIR] [--qa DIR] [--data-dir DIR]
           [--tutorial-cache DIR | --no-tutorial] [--sets dev,test,qa,fixture] [--why] [--json]
e.g.   python benchmarks/retrieval.py --essays ../shared/data/pg-essays \
           --qa ../shared/data/pg-qa --data-dir /tmp/pg --tutorial-cache /tmp/tutorial

One run prints, per question set (our dev and test splits by style, qa55, qa25, qa14, the
fixture set and the shapes set's dev and test halves over fictional posts, some in the real
author's shapes), R@1 / R@5 / MRR of: our hybrid search (floor off, so
ranking alone is compared), plain whole-post BM25, the tutorial's vector search and its
BM25 + vector ensemble. Then the avatar's decline decision's two rates (the calibrated
answerability of persona/answerability.py, beside the search's old vocabulary floor):
answerable questions declined and unanswerable ones answered; then how many answerable ones
are answered as "the closest I have written" and how many unanswerable ones outright. Tune on
dev only. `--json` adds
a last line of figures (ours, with the peers' same figure beside) for benchmarks/bench_all.py.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.common import (
    PlainBM25,
    Question,
    figure,
    load_posts,
    load_questions,
    print_figures,
    rank_metrics,
    require,
)
from knowledge.archive import Archive
from knowledge.post import Post
from knowledge.search import HybridSearcher, SearchHit, SearchTuning
from persona.answerability import Verdict, load_answerability

if TYPE_CHECKING:
    from benchmarks.tutorial_retrieval import TutorialRetrievers

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "benchmarks" / "questions"
FIXTURE_SOURCES = [ROOT / "knowledge" / "sample_blog", ROOT / "tests/fixtures/readers/mixed",
                   ROOT / "tests/fixtures/stance_shapes"]
OFFTOPIC = ROOT / "benchmarks" / "offtopic_questions.txt"
RETRIEVERS = ("ours", "BM25", "tut-vector", "tut-ensemble")
# One searcher per retriever (the others weighted 0), to show where a missed post ranks.
CHANNELS = {"dense": (1.0, 0.0, 0.0), "chunk-BM25": (0.0, 1.0, 0.0), "post-BM25": (0.0, 0.0, 1.0)}


@dataclass
class Bench:
    """One archive with every retriever over it, and how to name a post for the gold labels."""

    name: str
    archive: Archive
    key_of: dict[str, str]             # post id -> gold key
    baseline: PlainBM25
    tutorial: TutorialRetrievers | None   # when measured


def open_bench(name: str, posts: list[Post], key: Callable[[Post], str], data_dir: Path,
               tutorial_dir: Path | None) -> Bench:
    """Ingest (a no-op for an unchanged data dir) and set up the peers."""
    archive = Archive.open(data_dir)
    started = time.perf_counter()
    report = archive.ingest(posts)
    print(f"{name}: {len(posts)} posts, {report.added + report.updated} (re)indexed in "
          f"{time.perf_counter() - started:.1f} s")
    baseline = PlainBM25({key(p): f"{p.title}\n{p.text}" for p in posts})
    tutorial = None
    if tutorial_dir is not None:
        from benchmarks.tutorial_retrieval import TutorialRetrievers

        tutorial_dir.mkdir(parents=True, exist_ok=True)
        tutorial = TutorialRetrievers(posts, tutorial_dir, key)
    return Bench(name, archive, {p.id: key(p) for p in posts}, baseline, tutorial)


@dataclass
class Outcome:
    """Scores of one question set: metrics per retriever and the floor's decisions."""

    metrics: dict[str, dict[str, float]]
    answerable: int
    declined: int
    unanswerable: int
    answered: int
    p50_ms: float
    floor_declined: int = 0   # the same two rates under the search's vocabulary floor
    floor_answered: int = 0
    hedged: int = 0           # answerable, answered as "the closest I have written"
    outright: int = 0         # out-of-archive, answered without saying so


def evaluate(bench: Bench, questions: list[Question], why: bool = False) -> Outcome:
    """Rank every answerable question with each retriever; floor decisions for all."""
    answerable = [q for q in questions if q.gold]
    ranked: dict[str, list[list[str]]] = {r: [] for r in RETRIEVERS}
    times: list[float] = []
    declined = floor_declined = hedged = 0
    for q in answerable:
        t0 = time.perf_counter()
        hits = bench.archive.search(q.text, k=10, floor=False)
        times.append((time.perf_counter() - t0) * 1000)
        ranked["ours"].append([bench.key_of.get(h.post_id, "") for h in hits])
        verdict = verdict_of(bench, q.text, hits[:5])
        declined += not verdict.answers
        hedged += verdict.answers and not verdict.confident
        floor_declined += not bench.archive.search(q.text, k=5)
        ranked["BM25"].append(bench.baseline.rank(q.text)[:10])
        if bench.tutorial is not None:
            ranked["tut-vector"].append(bench.tutorial.vector(q.text)[:10])
            ranked["tut-ensemble"].append(bench.tutorial.ensemble(q.text)[:10])
    gold = [q.gold for q in answerable]
    metrics = {r: rank_metrics(lists, gold) for r, lists in ranked.items() if lists}
    if why:
        for q, r in zip(answerable, ranked["ours"], strict=True):
            if q.gold not in r[:5]:
                print(f"  miss@5 {q.gold} (rank {r.index(q.gold) + 1 if q.gold in r else '>10'};"
                      f" {channel_ranks(bench, q)}) {q.style}: {q.text}")
    unanswerable = [q for q in questions if not q.gold]
    verdicts = {q.text: verdict_of(bench, q.text) for q in unanswerable}
    answered = [q for q in unanswerable if verdicts[q.text].answers]
    outright = sum(1 for q in answered if verdicts[q.text].confident)
    floor_answered = sum(1 for q in unanswerable if bench.archive.search(q.text, k=5))
    if why:
        for q in answered:
            print(f"  answered out-of-archive: {q.text}")
    times.sort()
    return Outcome(metrics, len(answerable), declined, len(unanswerable), len(answered),
                   times[len(times) // 2] if times else 0.0, floor_declined, floor_answered,
                   hedged, outright)


def verdict_of(bench: Bench, question: str, hits: list[SearchHit] | None = None) -> Verdict:
    """The avatar's decision: does the archive answer this question, and outright (from its
    top 5 posts found without the floor, searched here unless given)?"""
    if hits is None:
        hits = bench.archive.search(question, k=5, floor=False)
    return load_answerability().judge(question, hits, bench.archive.embedder)


def channel_ranks(bench: Bench, q: Question) -> str:
    """Rank of the gold post in each retriever alone (top 50; '-' when not there)."""
    out = []
    archive = bench.archive
    for name, (d, kw, post) in CHANNELS.items():
        tuning = SearchTuning(dense_weight=d, keyword_weight=kw, post_weight=post)
        searcher = HybridSearcher(archive.store, archive._keyword, archive.embedder, tuning,
                                  archive._post_vectors)
        keys = [bench.key_of.get(h.post_id, "") for h in searcher.search(q.text, 50, floor=False)]
        out.append(f"{name} {keys.index(q.gold) + 1 if q.gold in keys else '-'}")
    return ", ".join(out)


def print_table(rows: list[tuple[str, Outcome]]) -> None:
    """The side-by-side table, then the floor's rates."""
    head = " | ".join(f"{r:^17}" for r in RETRIEVERS)
    print(f"\n{'set':18} {'n':>3} | {head} | p50 ms")
    print(f"{'':22} | " + " | ".join(f"{'R@1   R@5   MRR':^17}" for _ in RETRIEVERS) + " |")
    for name, o in rows:
        if not o.answerable:
            continue
        cells = []
        for r in RETRIEVERS:
            m = o.metrics.get(r)
            cells.append(" ".join(f"{m[k]:5.3f}" for k in ("R@1", "R@5", "MRR")) if m
                         else f"{'-':^17}")
        print(f"{name:18} {o.answerable:3} | " + " | ".join(cells) + f" | {o.p50_ms:5.1f}")
    print(f"\n{'set':18} {'false declines':>16} {'out-of-archive answered':>25}"
          f"   {'(old floor: declines / answered)':>34}"
          f"   {'as the closest':>16} {'answered outright':>18}")
    for name, o in rows:
        print(f"{name:18} {_rate(o.declined, o.answerable):>16} "
              f"{_rate(o.answered, o.unanswerable):>25}   "
              f"{_rate(o.floor_declined, o.answerable):>16} / "
              f"{_rate(o.floor_answered, o.unanswerable):<16}"
              f"   {_rate(o.hedged, o.answerable):>16} {_rate(o.outright, o.unanswerable):>18}")


def _rate(count: int, total: int) -> str:
    return f"{count}/{total} {count / total:5.1%}" if total else "-"


def figures(rows: list[tuple[str, Outcome]]) -> list[dict[str, object]]:
    """Each set's figures of our search (the peers' same metric beside) and its decline rates."""
    out = []
    for name, o in rows:
        if o.answerable:
            for metric in ("R@1", "R@5", "MRR"):
                peers = {r: o.metrics[r][metric] for r in RETRIEVERS[1:] if r in o.metrics}
                out.append(figure(f"{name} {metric}", o.metrics["ours"][metric], peers=peers,
                                  unit="share", note=f"{o.answerable} questions"))
            out.append(figure(f"{name} false declines", o.declined / o.answerable, unit="share",
                              note=f"{o.declined}/{o.answerable}",
                              peers={"old floor": o.floor_declined / o.answerable}))
            out.append(figure(f"{name} answered as the closest", o.hedged / o.answerable,
                              unit="share", note=f"{o.hedged}/{o.answerable}"))
        if o.unanswerable:
            # "dev out-of-archive answered", not "dev out-of-archive out-of-archive answered"
            subject = name if name.endswith("out-of-archive") else f"{name} out-of-archive"
            out.append(figure(f"{subject} answered", o.answered / o.unanswerable,
                              unit="share", note=f"{o.answered}/{o.unanswerable}",
                              peers={"old floor": o.floor_answered / o.unanswerable}))
            out.append(figure(f"{subject} answered outright", o.outright / o.unanswerable,
                              unit="share", note=f"{o.outright}/{o.unanswerable}"))
    return out


def pg_rows(bench: Bench, qa_dir: Path, posts: list[Post], sets: set[str],
            why: bool) -> list[tuple[str, Outcome]]:
    """Our dev and test splits by style, then the shared sets, then the off-topic list."""
    rows = []
    for split in ("dev", "test"):
        if split not in sets:
            continue
        questions = load_questions(QUESTIONS / f"pg_{split}.json", posts)
        for style in ("verbatim", "paraphrase"):
            rows.append((f"{split} {style}",
                         evaluate(bench, [q for q in questions if q.style == style], why)))
        rows.append((f"{split} out-of-archive",
                     evaluate(bench, [q for q in questions if not q.gold], why)))
    if "qa" in sets:
        for name in ("qa55", "qa25", "qa14"):
            path = require(qa_dir / f"{name}.json", f"the {name} question set")
            rows.append((name, evaluate(bench, load_questions(path, posts), why)))
        offtopic = [Question(line.strip(), "") for line in OFFTOPIC.read_text().splitlines()
                    if line.strip()]
        rows.append(("off-topic list", evaluate(bench, offtopic, why)))
    return rows


def main() -> None:
    """Open both archives, score every set, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = Path(os.environ.get("AVATAR_SHARED_DATA", "../shared/data"))
    parser.add_argument("--essays", type=Path, default=shared / "pg-essays")
    parser.add_argument("--qa", type=Path, default=shared / "pg-qa")
    parser.add_argument("--data-dir", type=Path, help="reuse the essays' index here")
    parser.add_argument("--tutorial-cache", type=Path,
                        help="keep the tutorial's Chroma indexes here between runs")
    parser.add_argument("--no-tutorial", action="store_true", help="skip the tutorial peer")
    parser.add_argument("--sets", default="dev,test,qa,fixture")
    parser.add_argument("--why", action="store_true", help="print misses and their channels")
    parser.add_argument("--json", action="store_true", help="end with a line of JSON figures")
    args = parser.parse_args()
    sets = set(args.sets.split(","))
    tmp = Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    cache = None if args.no_tutorial else (args.tutorial_cache or tmp / "tutorial")
    rows: list[tuple[str, Outcome]] = []
    if sets & {"dev", "test", "qa"}:
        posts = load_posts(require(args.essays, "the evaluation archive"))
        bench = open_bench("essays", posts, lambda p: Path(p.source).stem,
                           args.data_dir or tmp / "pg", cache and cache / "pg")
        rows += pg_rows(bench, args.qa, posts, sets, args.why)
    if "fixture" in sets:
        posts = [p for src in FIXTURE_SOURCES for p in load_posts(src)]
        bench = open_bench("fixture", posts, lambda p: p.title.strip().lower(),
                           tmp / "fixture", cache and cache / "fixture")
        rows.append(("fixture", evaluate(bench, load_questions(QUESTIONS / "fixture.json",
                                                                posts), args.why)))
        # The real author's shapes (benchmarks/questions/shapes.json), in the same archive.
        shaped = load_questions(QUESTIONS / "shapes.json", posts)
        for split in ("dev", "test"):
            rows.append((f"shapes {split}", evaluate(
                bench, [q for q in shaped if q.split == split and q.gold], args.why)))
    print_table(rows)
    if args.json:
        print_figures(figures(rows))


if __name__ == "__main__":
    main()
