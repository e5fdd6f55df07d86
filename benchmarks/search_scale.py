"""Search latency and memory at archive scale (~200k chunks), measured in a serving process.

usage: python -m benchmarks.search_scale ARCHIVE_DIR [--data-dir DIR] [--scale-chunks 200000]
       [--rounds 20] [--json]
The index is the real archive plus synthetic posts built from its own chunks (their vectors
perturbed copies of real ones). A data dir that already holds enough chunks is reused, so
the slow build happens once. The queries then run in a fresh process that only opens the
built archive, as a reader-facing server would: its peak RSS is the serving memory, apart
from the build's own peak, and both are printed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from benchmarks.common import figure, load_posts, print_figures, require
from knowledge.archive import Archive
from knowledge.chunking import chunk_post, embedding_text
from knowledge.metadata import chunk_metadata
from knowledge.post import Post

P50_LIMIT_MS, P95_LIMIT_MS, RSS_LIMIT_MB = 30.0, 80.0, 2048.0
QUERIES = [
    "How do I start a startup?", "What is the best way to raise money from investors?",
    "Why are Lisp macros powerful?", "What makes a city attract smart people?",
    "How should founders think about growth?", "Is it good to work at a big company?",
    "What did you learn from Viaweb?", "How do you get startup ideas?",
    "What is wrong with the way schools teach writing?", "Why do people procrastinate?",
]
SINCE = datetime.date(2010, 1, 1)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory now (VmRSS) or at its peak (VmHWM), in MB."""
    # Not getrusage: Linux carries ru_maxrss across fork and exec, so a child started by
    # a big process would report its parent's peak.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def grow_to_scale(archive: Archive, posts: list[Post], target_chunks: int) -> None:
    """Add synthetic posts (shuffled real chunks, perturbed real vectors) up to target_chunks."""
    rng = np.random.default_rng(7)
    pool = [(p, c) for p in posts for c in chunk_post(p)]
    base = archive.embedder.embed([embedding_text(p.title, c.text) for p, c in pool[:2000]])
    words = " ".join(c.text for _, c in pool).split()
    made = archive.store.count()
    serial = 0
    t0 = time.perf_counter()
    # Written as one batch: the marker tells other processes a write is under way, and the
    # commit below vouches for the keyword index only if it still stands.
    marker = "writing-scale-build"
    archive._post_vectors.ensure(archive.store.generation())
    archive.store.set_generation(marker)
    while made < target_chunks:
        ids, docs, metas, vecs = [], [], [], []
        for _ in range(400):  # 400 synthetic posts of ~7 chunks per round
            serial += 1
            year = 2006 + serial % 20
            n_chunks = int(rng.integers(3, 12))
            post = Post(id=f"synthetic-{serial}", title=f"Synthetic post {serial}",
                        text="", url="", source="synthetic",
                        published=None if serial % 17 == 0 else
                        datetime.date(year, 1 + serial % 12, 1 + serial % 28))
            for i in range(n_chunks):
                start = int(rng.integers(0, len(words) - 160))
                docs.append(" ".join(words[start : start + 140]))
                ids.append(f"{post.id}#{i}")
                metas.append(chunk_metadata(post, i, n_chunks))
                v = base[int(rng.integers(0, len(base)))] + rng.normal(0, 0.05, base.shape[1])
                vecs.append(v / np.linalg.norm(v))
        archive.store.upsert(ids, docs, np.asarray(vecs, dtype=np.float32), metas)
        for pid, stored in archive.store.chunk_vectors(ids).items():
            archive._post_vectors.put(pid, stored)
        archive._keyword.add(zip(ids, metas, docs, strict=True))
        made += len(ids)
    archive._commit_keyword(marker)
    print(f"scale: {archive.store.count()} chunks in the index "
          f"(synthetic part built in {time.perf_counter() - t0:.0f} s, "
          f"build process peak RSS {peak_rss_mb():.0f} MB)")


def build(archive_dir: Path, data_dir: Path, target_chunks: int, embedder: str) -> None:
    """Make data_dir hold the real archive plus synthetic posts, unless it already does."""
    archive = Archive.open(data_dir, embedder=embedder)
    have = archive.store.count()
    if have >= target_chunks:
        print(f"scale: reusing {data_dir} ({have} chunks)")
        return
    posts = load_posts(archive_dir)
    if not have:
        t0 = time.perf_counter()
        archive.ingest(posts)
        print(f"scale: ingested the real archive in {time.perf_counter() - t0:.0f} s")
    grow_to_scale(archive, posts, target_chunks)


def serve(data_dir: Path, embedder: str, rounds: int) -> dict[str, object]:
    """Open the built archive and time the query mix; runs in its own process."""
    t0 = time.perf_counter()
    archive = Archive.open(data_dir, embedder=embedder)
    for q in QUERIES[:3]:  # warm-up: first calls load the HNSW index and build caches
        archive.search(q)
        archive.search(q, since=SINCE)
    opened_s = time.perf_counter() - t0
    plain: list[float] = []
    dated: list[float] = []
    for i in range(rounds):
        for q in random.Random(i).sample(QUERIES, len(QUERIES)):
            since = SINCE if i % 4 == 0 else None
            t1 = time.perf_counter()
            hits = archive.search(q, k=5, since=since)
            (dated if since else plain).append((time.perf_counter() - t1) * 1000)
            if since and any(h.published is None or h.published < since for h in hits):
                raise AssertionError(f"{q!r}: a hit lies outside the date range")
    return {"chunks": archive.store.count(), "open_s": opened_s, "plain_ms": plain,
            "dated_ms": dated, "rss_mb": rss_mb(), "peak_rss_mb": rss_mb("VmHWM")}


def measure(data_dir: Path, embedder: str, rounds: int) -> dict[str, float]:
    """Run serve() in a fresh process; print p50/p95 and its memory against the limits."""
    cmd = [sys.executable, "-m", "benchmarks.search_scale", "--serve", str(data_dir),
           "--embedder", embedder, "--rounds", str(rounds)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    got = json.loads(out.strip().splitlines()[-1])
    plain, dated = sorted(got["plain_ms"]), sorted(got["dated_ms"])
    times = sorted(plain + dated)
    p50, p95 = statistics.median(times), _pct(times, 0.95)
    load = os.getloadavg()
    print(f"search: {len(times)} queries over {got['chunks']} chunks "
          f"(1 in 4 with since={SINCE}), load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"  p50 {p50:.1f} ms (limit {P50_LIMIT_MS:.0f}, ratio {p50 / P50_LIMIT_MS:.2f}), "
          f"p95 {p95:.1f} ms (limit {P95_LIMIT_MS:.0f}, ratio {p95 / P95_LIMIT_MS:.2f})")
    print(f"  unfiltered p50 {statistics.median(plain):.1f} / p95 {_pct(plain, 0.95):.1f} ms; "
          f"date-filtered p50 {statistics.median(dated):.1f} / p95 {_pct(dated, 0.95):.1f} ms")
    peak = got["peak_rss_mb"]
    print(f"  serving process: opened + warmed in {got['open_s']:.1f} s, peak RSS {peak:.0f} MB "
          f"(limit {RSS_LIMIT_MB:.0f}, ratio {peak / RSS_LIMIT_MB:.2f}), "
          f"RSS after queries {got['rss_mb']:.0f} MB")
    return {"chunks": got["chunks"], "queries": len(times), "p50_ms": p50, "p95_ms": p95,
            "p50_limit_ms": P50_LIMIT_MS, "p95_limit_ms": P95_LIMIT_MS,
            "peak_rss_mb": peak, "rss_limit_mb": RSS_LIMIT_MB, "open_s": got["open_s"]}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(q * len(ordered)) - 1, 0)]


def run(archive_dir: Path, data_dir: Path | None, target_chunks: int, embedder: str,
        rounds: int = 20, keep: bool = False) -> dict[str, float]:
    """Build (or reuse) the scale index, then measure search in a serving process."""
    fresh = data_dir is None
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="avatar-scale-"))
    try:
        build(archive_dir, data_dir, target_chunks, embedder)
        return measure(data_dir, embedder, rounds)
    finally:
        if fresh and not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    """Command line: build-and-measure, or (internal) the serving process itself."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, nargs="?")
    parser.add_argument("--data-dir", type=Path, help="reused when it holds enough chunks")
    parser.add_argument("--scale-chunks", type=int, default=200_000)
    parser.add_argument("--embedder", default="minilm-int8")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="end with a line of JSON figures")
    args = parser.parse_args()
    if args.serve:
        print(json.dumps(serve(args.serve, args.embedder, args.rounds)))
        return
    if args.archive is None:
        parser.error("ARCHIVE_DIR is required")
    require(args.archive, "the evaluation archive")
    got = run(args.archive, args.data_dir, args.scale_chunks, args.embedder, args.rounds)
    if args.json:
        note = f"{got['queries']:.0f} queries over {got['chunks']:.0f} chunks"
        print_figures([figure("search p50", got["p50_ms"], unit="ms", note=note),
                       figure("search p95", got["p95_ms"], unit="ms", note=note),
                       figure("serving peak RSS", got["peak_rss_mb"], unit="MB", note=note)])


if __name__ == "__main__":
    main()
