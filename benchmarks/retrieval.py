"""Post-level retrieval quality of the avatar's hybrid search next to a plain BM25 baseline.

usage: python benchmarks/retrieval.py ARCHIVE_DIR QUESTIONS.json [QUESTIONS.json ...]
       [--data-dir DIR] [--embedder minilm-int8]
e.g.   python benchmarks/retrieval.py ../shared/data/pg-essays ../shared/data/pg-qa/qa55.json \
           ../shared/data/pg-qa/qa25.json
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.common import (
    PlainBM25,
    load_posts,
    load_questions,
    rank_metrics,
    require,
)
from knowledge.archive import Archive
from knowledge.search import HybridSearcher, SearchTuning

# One searcher per retriever (the others weighted 0), to show where a missed essay ranks.
CHANNELS = {"dense": (1.0, 0.0, 0.0), "chunk-BM25": (0.0, 1.0, 0.0), "post-BM25": (0.0, 0.0, 1.0)}


def channel_ranks(archive: Archive, query: str, gold: str, stem_of: dict[str, str]) -> str:
    """Rank of the gold essay in each retriever alone (top 50; '-' when not there)."""
    out = []
    for name, (d, kw, post) in CHANNELS.items():
        tuning = SearchTuning(dense_weight=d, keyword_weight=kw, post_weight=post)
        searcher = HybridSearcher(archive.store, archive._keyword, archive.embedder, tuning)
        ranked = [stem_of.get(h.post_id, "") for h in searcher.search(query, 50, floor=False)]
        out.append(f"{name} {ranked.index(gold) + 1 if gold in ranked else '-'}")
    return ", ".join(out)


def main() -> None:
    """Ingest the archive (reusing --data-dir if given), then score every question set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--data-dir", type=Path, help="reuse an index here (default: temp dir)")
    parser.add_argument("--embedder", default="minilm-int8")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--chunk-words", type=int, default=150)
    parser.add_argument("--overlap-words", type=int, default=25)
    args = parser.parse_args()
    require(args.archive, "the evaluation archive")
    posts = load_posts(args.archive)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="avatar-bench-"))
    archive = Archive.open(data_dir, embedder=args.embedder, chunk_words=args.chunk_words,
                           overlap_words=args.overlap_words)
    started = time.perf_counter()
    report = archive.ingest(posts)
    print(f"archive: {len(posts)} posts, {report.added + report.updated} (re)indexed "
          f"in {time.perf_counter() - started:.1f} s ({args.embedder})")
    stem_of = {p.id: Path(p.source).stem for p in posts}
    baseline = PlainBM25({Path(p.source).stem: f"{p.title}\n{p.text}" for p in posts})

    print(f"{'set':10} {'retriever':22} {'R@1':>6} {'R@5':>6} {'MRR':>6}  p50 ms")
    for qpath in args.questions:
        require(qpath, "the question set")
        questions = [q for q in load_questions(qpath, posts) if q.gold]  # answerable only
        gold = [q.gold for q in questions]
        ranked, times = [], []
        for q in questions:
            t0 = time.perf_counter()
            hits = archive.search(q.text, k=args.k, floor=False)
            times.append((time.perf_counter() - t0) * 1000)
            ranked.append([stem_of.get(h.post_id, "") for h in hits])
        times.sort()
        ours = rank_metrics(ranked, gold)
        base = rank_metrics([baseline.rank(q.text)[: args.k] for q in questions], gold)
        for name, m, p50 in (("avatar hybrid", ours, f"{times[len(times) // 2]:.1f}"),
                             ("plain BM25 (baseline)", base, "")):
            print(f"{qpath.stem:10} {name:22} {m['R@1']:6.3f} {m['R@5']:6.3f} "
                  f"{m['MRR']:6.3f}  {p50}")
        print(f"{qpath.stem:10} {'ratio (ours/base)':22} "
              + " ".join(f"{ours[k] / max(base[k], 1e-9):6.2f}" for k in ("R@1", "R@5", "MRR")))
        for q, r in zip(questions, ranked, strict=True):
            if q.gold not in r[:5]:
                where = r.index(q.gold) + 1 if q.gold in r else f">{args.k}"
                print(f"  miss@5: {q.gold} (fused rank {where}; "
                      f"{channel_ranks(archive, q.text, q.gold, stem_of)}): {q.text}")


if __name__ == "__main__":
    main()
